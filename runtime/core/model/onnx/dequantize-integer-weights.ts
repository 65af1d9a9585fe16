// Gives an 8-bit graph float weights: its quantized embedding lookups and integer matrix products
// become Gather and MatMul on weights dequantized once, at load.
//
// Why: onnxruntime-web 1.30's WebGPU kernels compute these graphs wrongly, and silently. On
// lexicon-tiny q8 the first wrong tensor is the embedding lookup's DequantizeLinear (its values
// off by up to 1.6e7 where WASM's are below 0.36); every tensor after it follows. Float Gather and
// MatMul are the ops WebGPU runs most (fp32 exports answer right there). The cost is four bytes a
// weight on the GPU instead of one.
//
// Precision: a looked-up embedding is the same float32 as DequantizeLinear's ((q − zero) × scale).
// A product uses the activations as they are instead of quantizing them to 8 bits first, so it is
// closer to the fp32 model than the 8-bit graph is, and may differ from it in the last digits.
import { integerProductEndingAt, type IntegerProduct } from './integer-product.js';
import { MessageWriter } from './protobuf-wire.js';
import { graphInitializers, indexGraph, initializerMessage, isOnnxOp, initializerName, initializerValues, nodeMessage, onnxField as field, onnxTensorType as tensorType, readGraph, withExternalData, withGraph, type ExternalData, type ExternalDataFile, type OnnxInitializer, type OnnxNode } from './onnx-graph.js';

export interface DequantizationResult {
  /** The graph; its float weights are in `externalData`. */
  bytes: Uint8Array;
  /** The float weights, as a session's external data file (absent when nothing was rewritten). */
  externalData?: ExternalDataFile;
  /** DequantizeLinear(Gather(8-bit table)) lookups now reading a float table. */
  lookups: number;
  /** MatMulInteger products now running as float MatMul. */
  matMuls: number;
  /** Float weight bytes the rewrite adds. */
  weightBytes: number;
}

export interface DequantizationOptions {
  /** Nothing is rewritten when the float weights would take more bytes than this. */
  maxWeightBytes: number;
  /** The external data file the float weights are written to. */
  path: string;
  /** Where the 8-bit weights are when they are external data. */
  external?: ExternalData;
}

/** An 8-bit matrix and how to dequantize it: a zero point and a scale per column, or one of each. */
interface QuantizedMatrix {
  name: string;
  levels: Uint8Array;
  signed: boolean;
  rows: number;
  columns: number;
  zeroPoints: number[];
  scales: number[];
}

/** One node that replaces several: written where `anchor` was, with the float weight as its first or second input. */
interface Replacement {
  anchor: OnnxNode;
  removed: OnnxNode[];
  weight: QuantizedMatrix;
  node: (floatWeight: string) => MessageWriter;
}

const prefix = 'nexus_dequantized/';
/** A new node keeps the name of the node it replaces, plus this: rewrites that find modules by node-name prefix (fuseGroupQueryAttention) still find it. */
const nameSuffix = '/nexus_dequantized';

/**
 * Returns the model with every recognised 8-bit lookup and product on float weights; the input is
 * returned unchanged when nothing is recognised. Only the graph message is re-encoded.
 */
export function dequantizeIntegerWeights(model: Uint8Array, options: DequantizationOptions): DequantizationResult {
  const unchanged: DequantizationResult = { bytes: model, lookups: 0, matMuls: 0, weightBytes: 0 };
  const graph = readGraph(model);
  if (!graph?.nodes.some((node) => node.opType === 'MatMulInteger' || node.opType === 'DequantizeLinear')) return unchanged;
  const initializers = graphInitializers(model, graph, options.external);
  const index = indexGraph(graph);
  const { producer, consumers } = index;
  /** An optional input: 'absent' when the node leaves it out, undefined when it is not an initializer. */
  const optionalInput = (name: string | undefined) => (name ? initializers.get(name) : 'absent');
  const onlyReader = (tensor: string, reader: OnnxNode) => consumers.get(tensor)?.length === 1 && consumers.get(tensor)![0] === reader;

  const replacements: Replacement[] = [];
  for (const node of graph.nodes) {
    if (isOnnxOp(node, 'DequantizeLinear')) {
      const lookup = producer.get(node.inputs[0]);
      if (!isOnnxOp(lookup, 'Gather') || !onlyReader(lookup.outputs[0], node)) continue;
      const weight = quantizedMatrix(initializers.get(lookup.inputs[0]), optionalInput(node.inputs[2]), initializers.get(node.inputs[1]), false);
      if (!weight) continue;
      const axis = lookup.attributes.get('axis') ?? 0;
      replacements.push({ anchor: node, removed: [lookup, node], weight, node: (floatWeight) => nodeMessage({ name: `${node.name}${nameSuffix}`, opType: 'Gather', inputs: [floatWeight, lookup.inputs[1]], outputs: node.outputs, attributes: { axis } }) });
    } else if (isOnnxOp(node, 'Mul')) {
      const product = integerProductEndingAt(index, node);
      // A product behind a Slice (the LM head's last position) would need its float input sliced: WebGPU's graph is dequantized before the slice.
      const replacement = product && !product.slice ? floatProduct(product) : undefined;
      if (replacement) replacements.push(replacement);
    }
  }

  /** The integer product as `MatMul(x, W as floats)`. */
  function floatProduct({ quantizer, matMul, cast, scales, scaled, weight: weightName, weightZero, weightScale }: IntegerProduct): Replacement | undefined {
    const weight = quantizedMatrix(initializers.get(weightName), optionalInput(weightZero), initializers.get(weightScale), true);
    if (!weight) return undefined;
    return { anchor: matMul, removed: [matMul, cast, scales, scaled], weight, node: (floatWeight) => nodeMessage({ name: `${matMul.name}${nameSuffix}`, opType: 'MatMul', inputs: [quantizer.inputs[0], floatWeight], outputs: scaled.outputs }) };
  }

  const byWeight = new Map(replacements.map((replacement) => [replacement.weight.name, replacement.weight]));
  const weightBytes = [...byWeight.values()].reduce((sum, weight) => sum + weight.rows * weight.columns * 4, 0);
  if (replacements.length === 0 || weightBytes > options.maxWeightBytes) return unchanged;

  const removed = new Set(replacements.flatMap((replacement) => replacement.removed));
  // A quantizer whose every output is read only by removed nodes (and is no graph output) goes too.
  const graphOutputs = new Set(graph.outputNames);
  for (const node of graph.nodes) {
    if (isOnnxOp(node, 'DynamicQuantizeLinear') && node.outputs.every((output) => !graphOutputs.has(output) && (consumers.get(output)?.every((reader) => removed.has(reader)) ?? true))) removed.add(node);
  }
  const graphInputs = new Set(graph.inputNames);
  const readOnlyByRemoved = (name: string) => consumers.get(name)?.every((reader) => removed.has(reader)) ?? false;
  const droppedInitializers = new Set([...removed].flatMap((node) => node.inputs).filter((name) => initializers.has(name) && !graphInputs.has(name) && readOnlyByRemoved(name)));
  const anchors = new Map(replacements.map((replacement) => [replacement.anchor.field.fieldStart, replacement]));
  const removedFields = new Set([...removed].map((node) => node.field.fieldStart));

  const weightData = new Float32Array(weightBytes / 4);
  const floatWeights = new Map<string, string>();
  const writer = new MessageWriter();
  let written = 0;
  for (const entry of graph.fields) {
    const replacement = anchors.get(entry.fieldStart);
    if (replacement) {
      const { weight } = replacement;
      let floatWeight = floatWeights.get(weight.name);
      if (!floatWeight) {
        floatWeight = `${prefix}${weight.name}`;
        floatWeights.set(weight.name, floatWeight);
        const count = weight.rows * weight.columns;
        dequantizeInto(weight, weightData.subarray(written, written + count));
        const tensor = new MessageWriter().varint(field.tensor.dims, weight.rows).varint(field.tensor.dims, weight.columns).varint(field.tensor.dataType, tensorType.float).text(field.tensor.name, floatWeight);
        writer.message(field.graph.initializer, withExternalData(tensor, options.path, written * 4, count * 4));
        written += count;
      }
      writer.message(field.graph.node, replacement.node(floatWeight));
      continue;
    }
    if (entry.number === field.graph.node && removedFields.has(entry.fieldStart)) continue;
    if (entry.number === field.graph.initializer && droppedInitializers.has(initializerName(model, entry))) continue;
    writer.raw(model.subarray(entry.fieldStart, entry.end));
  }
  return {
    bytes: withGraph(model, graph.graphField, writer),
    externalData: { path: options.path, data: new Uint8Array(weightData.buffer) },
    lookups: replacements.filter((replacement) => replacement.anchor.opType === 'DequantizeLinear').length,
    matMuls: replacements.filter((replacement) => replacement.anchor.opType === 'MatMulInteger').length,
    weightBytes,
  };
}

/**
 * A 2-D 8-bit initializer with its zero point and scale: one of each, or (when `perColumn`) one
 * per column as MatMulInteger allows; undefined for anything else.
 */
function quantizedMatrix(levels: OnnxInitializer | undefined, zeroPoint: OnnxInitializer | 'absent' | undefined, scale: OnnxInitializer | undefined, perColumn: boolean): QuantizedMatrix | undefined {
  if (!levels?.data || levels.dims.length !== 2 || (levels.dataType !== tensorType.uint8 && levels.dataType !== tensorType.int8)) return undefined;
  const [rows, columns] = levels.dims;
  if (levels.data.length !== rows * columns) return undefined;
  const scales = initializerValues(scale, tensorType.float);
  // No zero point means zero, by the ONNX definition of both ops.
  const zeroPoints = zeroPoint === 'absent' ? [0] : initializerValues(zeroPoint, levels.dataType);
  const fits = (values: number[] | undefined) => values?.length === 1 || (perColumn && values?.length === columns);
  if (!fits(scales) || !fits(zeroPoints)) return undefined;
  return { name: levels.name, levels: levels.data, signed: levels.dataType === tensorType.int8, rows, columns, zeroPoints: zeroPoints!, scales: scales! };
}

/** (level − zero point) × scale, as float32 (the integer difference is exact, so this is DequantizeLinear's value). */
function dequantizeInto({ levels, signed, rows, columns, zeroPoints, scales }: QuantizedMatrix, target: Float32Array): void {
  const zeroAt = (column: number) => zeroPoints[zeroPoints.length === 1 ? 0 : column];
  const scaleAt = (column: number) => scales[scales.length === 1 ? 0 : column];
  const columnZeros = Float64Array.from({ length: columns }, (_, column) => zeroAt(column));
  const columnScales = Float64Array.from({ length: columns }, (_, column) => scaleAt(column));
  for (let row = 0; row < rows; row++) {
    const start = row * columns;
    for (let column = 0; column < columns; column++) {
      const level = signed ? (levels[start + column] << 24) >> 24 : levels[start + column];
      target[start + column] = (level - columnZeros[column]) * columnScales[column];
    }
  }
}
