// Feeds the LM head only the last position's hidden state, so a prompt's other positions get no logits.
//
// Why: an exported decoder computes logits for every position it is given. During prefill that is
// prompt × vocabulary (a 500-token prompt on a 151k vocabulary: 300 MB of fp32 logits, computed
// and then copied out of the engine), while generation reads only the last row. One Slice in
// front of the LM head's matrix multiply keeps its input to [batch, 1, hidden]; what follows it
// to `logits` works per position (casts, scales, biases), so the last row is unchanged.
import { MessageWriter, readFields, type WireField } from './protobuf-wire.js';
import { indexGraph, initializerName, int64Initializer, onnxField, readGraph, valueInfoName, withGraph, type OnnxNode } from './onnx-graph.js';

export interface LastPositionResult {
  bytes: Uint8Array;
  /** False when the graph's LM head was not recognised (the model is returned unchanged). */
  sliced: boolean;
}

/** The ops an LM head's matrix multiply may be, with their domain; its input 0 is the hidden state. */
const lmHeadOps: Record<string, string> = { MatMul: '', MatMulInteger: '', MatMulNBits: 'com.microsoft' };
/** Per-position ops that may sit between the LM head and `logits` (dequantizing scales, biases, soft-capping). */
const perPositionOps = new Set(['Mul', 'Add', 'Sub', 'Div', 'Cast', 'Identity', 'Tanh']);
/** Ops whose outputs do not depend on the positions when their inputs do not. */
const positionFreeOps = new Set(['Mul', 'Add', 'Sub', 'Div', 'Cast', 'Identity', 'Constant']);

const prefix = 'nexus_last_position/';
const int64Max = 0x7fff_ffff_ffff_ffffn;

export function sliceLogitsToLastPosition(model: Uint8Array): LastPositionResult {
  const unchanged: LastPositionResult = { bytes: model, sliced: false };
  const graph = readGraph(model);
  const logitsOutput = graph?.fields.find((field) => field.number === onnxField.graph.output && valueInfoName(model, field) === 'logits');
  // [batch, positions, vocabulary]: any other declared shape is not a decoder this understands.
  if (!graph || !logitsOutput || graph.opsetVersion < 13 || declaredRank(model, logitsOutput) !== 3) return unchanged;
  const initializers = new Set(graph.fields.filter((field) => field.number === onnxField.graph.initializer).map((field) => initializerName(model, field)));
  const { producer, consumers } = indexGraph(graph);
  const readers = (tensor: string) => consumers.get(tensor)?.length ?? 0;

  /** True when `name` has the same value whatever the number of positions (weights, per-tensor quantization scales). */
  const positionFree = (name: string, depth = 0): boolean => {
    if (name === '' || initializers.has(name)) return true;
    const node = producer.get(name);
    if (!node || depth > 4) return false;
    // DynamicQuantizeLinear's scale and zero point are scalars over the whole tensor.
    if (node.opType === 'DynamicQuantizeLinear' && node.outputs[0] !== name) return true;
    return node.domain === '' && positionFreeOps.has(node.opType) && node.inputs.every((input) => positionFree(input, depth + 1));
  };

  let lmHead: OnnxNode | undefined;
  let tensor = 'logits';
  for (let hops = 0; hops < 8 && !lmHead; hops++) {
    const node = producer.get(tensor);
    // Every tensor on the way is read only by the next node (or is `logits`), so nothing else sees the slice.
    if (!node || readers(tensor) > (tensor === 'logits' ? 0 : 1)) return unchanged;
    if (lmHeadOps[node.opType] === node.domain) {
      if (!node.inputs.slice(1).every((input) => positionFree(input))) return unchanged;
      lmHead = node;
    } else if (node.domain === '' && perPositionOps.has(node.opType)) {
      const carrying = node.inputs.filter((input) => !positionFree(input));
      if (carrying.length !== 1) return unchanged;
      tensor = carrying[0];
    } else {
      return unchanged;
    }
  }
  // Already fed one position (this rewrite ran before), or the head's output is read elsewhere too.
  if (!lmHead || lmHead.inputs[0].startsWith(prefix) || readers(lmHead.outputs[0]) > 1) return unchanged;

  const hidden = lmHead.inputs[0];
  const sliced = `${prefix}${hidden}`;
  const writer = new MessageWriter();
  for (const field of graph.fields) {
    if (field.fieldStart === lmHead.field.fieldStart) {
      writer.message(onnxField.graph.node, sliceNode(hidden, sliced));
      writer.message(onnxField.graph.node, withFirstInput(model, lmHead, sliced));
    } else if (field.fieldStart === logitsOutput.fieldStart) {
      writer.message(onnxField.graph.output, withOnePosition(model, field));
    } else {
      writer.raw(model.subarray(field.fieldStart, field.end));
    }
  }
  writer.message(onnxField.graph.initializer, int64Initializer(`${prefix}starts`, [1], [-1n]));
  writer.message(onnxField.graph.initializer, int64Initializer(`${prefix}ends`, [1], [int64Max]));
  writer.message(onnxField.graph.initializer, int64Initializer(`${prefix}axes`, [1], [1n]));
  return { bytes: withGraph(model, graph.graphField, writer), sliced: true };
}

/** hidden[:, -1:, :] */
function sliceNode(hidden: string, sliced: string): MessageWriter {
  const writer = new MessageWriter();
  for (const input of [hidden, `${prefix}starts`, `${prefix}ends`, `${prefix}axes`]) writer.text(onnxField.node.input, input);
  return writer.text(onnxField.node.output, sliced).text(onnxField.node.name, `${prefix}Slice`).text(onnxField.node.opType, 'Slice');
}

/** The node's bytes with its first input renamed; everything else (attributes of any kind) copied. */
function withFirstInput(model: Uint8Array, node: OnnxNode, input: string): MessageWriter {
  const writer = new MessageWriter();
  let renamed = false;
  for (const field of readFields(model, node.field.start, node.field.end)) {
    if (field.number === onnxField.node.input && !renamed) {
      writer.text(onnxField.node.input, input);
      renamed = true;
    } else {
      writer.raw(model.subarray(field.fieldStart, field.end));
    }
  }
  return writer;
}

/** ValueInfoProto → TypeProto → Tensor → TensorShapeProto → Dimension. */
const typeField = { valueInfoType: 2, tensorType: 1, shape: 2, dim: 1, dimValue: 1 } as const;

/** How many dimensions a graph input or output declares (0 when it declares no shape). */
function declaredRank(model: Uint8Array, valueInfo: WireField): number {
  let fields: WireField[] = [valueInfo];
  for (const number of [typeField.valueInfoType, typeField.tensorType, typeField.shape]) {
    fields = fields.flatMap((field) => [...readFields(model, field.start, field.end)].filter((inner) => inner.number === number && inner.wireType === 2));
  }
  return fields.flatMap((shape) => [...readFields(model, shape.start, shape.end)].filter((inner) => inner.number === typeField.dim)).length;
}

/** The `logits` output declared with one position (dimension 1 = 1), so the engine does not warn about its shape. */
function withOnePosition(model: Uint8Array, output: WireField): MessageWriter {
  const rewrite = (start: number, end: number, path: readonly number[]): MessageWriter => {
    const writer = new MessageWriter();
    let dims = 0;
    for (const field of readFields(model, start, end)) {
      const [next, ...rest] = path;
      if (field.number === next && field.wireType === 2 && rest.length > 0) writer.message(field.number, rewrite(field.start, field.end, rest));
      else if (field.number === next && rest.length === 0 && dims++ === 1) writer.message(field.number, new MessageWriter().varint(typeField.dimValue, 1));
      else writer.raw(model.subarray(field.fieldStart, field.end));
    }
    return writer;
  };
  return rewrite(output.start, output.end, [typeField.valueInfoType, typeField.tensorType, typeField.shape, typeField.dim]);
}
