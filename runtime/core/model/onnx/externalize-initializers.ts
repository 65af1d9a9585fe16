// Moves a model's large initializers out of its protobuf into "external data" that points back into the same bytes.
//
// Why: onnxruntime-web copies the model's bytes into its WASM heap, parses them there (a second copy
// of every weight, inside the protobuf), then copies each weight once more into its tensor. WASM
// memory never shrinks, so those passing copies stay resident for the life of the process. With
// the weights external, the protobuf it copies and parses holds only the graph, and each weight is
// copied once, straight from our bytes into its tensor. Nothing is copied on our side: the
// external "file" is the model's own bytes, and each initializer names the offset of its raw data.
import { MessageWriter, readFields } from './protobuf-wire.js';
import { onnxField, readGraph, withExternalData, withGraph, type ExternalDataFile } from './onnx-graph.js';

export interface ExternalizedModel {
  /** The model without the large initializers' data (graph, names, shapes, types only). */
  bytes: Uint8Array;
  /** What the session is given as `externalData`: the original bytes under `path`. */
  externalData: ExternalDataFile;
  /** Initializers now read from the external data. */
  initializers: number;
}

/** The onnx package's default threshold when it saves a model with external data. */
export const minExternalBytes = 1024;

/**
 * `model` with every initializer whose raw_data is at least `minExternalBytes` long read from
 * external data at `path` (offsets into `model` itself), or undefined when none is.
 */
export function externalizeInitializers(model: Uint8Array, path: string): ExternalizedModel | undefined {
  const graph = readGraph(model);
  if (!graph) return undefined;
  const writer = new MessageWriter();
  let initializers = 0;
  for (const field of graph.fields) {
    const tensorFields = field.number === onnxField.graph.initializer ? [...readFields(model, field.start, field.end)] : [];
    const raw = tensorFields.find((inner) => inner.number === onnxField.tensor.rawData && inner.wireType === 2);
    if (!raw || raw.end - raw.start < minExternalBytes) {
      writer.raw(model.subarray(field.fieldStart, field.end));
      continue;
    }
    const tensor = new MessageWriter();
    for (const inner of tensorFields) if (inner !== raw) tensor.raw(model.subarray(inner.fieldStart, inner.end));
    writer.message(onnxField.graph.initializer, withExternalData(tensor, path, raw.start, raw.end - raw.start));
    initializers++;
  }
  if (initializers === 0) return undefined;
  return { bytes: withGraph(model, graph.graphField, writer), externalData: { path, data: model }, initializers };
}
