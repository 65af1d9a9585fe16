// IntegerProduct: how an 8-bit export writes x·W: Cast(MatMulInteger(q, W, qZero, wZero)) × (qScale × wScale), q from DynamicQuantizeLinear(x).
import { isOnnxOp, onnxTensorType, type GraphIndex, type OnnxNode } from './onnx-graph.js';

export interface IntegerProduct {
  /** DynamicQuantizeLinear(x): its outputs are q, qScale and qZero. */
  quantizer: OnnxNode;
  /** A Slice between q and the product (the LM head's last-position slice), when there is one. */
  slice?: OnnxNode;
  matMul: OnnxNode;
  cast: OnnxNode;
  /** qScale × wScale. */
  scales: OnnxNode;
  /** The product's last node: its output is x·W. */
  scaled: OnnxNode;
  weight: string;
  /** Absent when MatMulInteger has no weight zero point (zero). */
  weightZero?: string;
  weightScale: string;
}

/**
 * The integer product whose last node (the Mul by both scales) is `scaled`, or undefined when the
 * nodes feeding it are not that pattern, or their intermediate tensors are read by other nodes too.
 */
export function integerProductEndingAt({ producer, consumers }: GraphIndex, scaled: OnnxNode): IntegerProduct | undefined {
  const readOnlyBy = (tensor: string, node: OnnxNode) => consumers.get(tensor)?.every((reader) => reader === node) ?? false;
  if (!isOnnxOp(scaled, 'Mul') || scaled.inputs.length !== 2) return undefined;
  const castFirst = producer.get(scaled.inputs[0])?.opType === 'Cast';
  const cast = producer.get(scaled.inputs[castFirst ? 0 : 1]);
  const scales = producer.get(scaled.inputs[castFirst ? 1 : 0]);
  if (!isOnnxOp(cast, 'Cast') || cast.attributes.get('to') !== onnxTensorType.float || !readOnlyBy(cast.outputs[0], scaled)) return undefined;
  if (!isOnnxOp(scales, 'Mul') || !readOnlyBy(scales.outputs[0], scaled)) return undefined;
  const matMul = producer.get(cast.inputs[0]);
  if (!isOnnxOp(matMul, 'MatMulInteger') || matMul.inputs.length < 3 || !readOnlyBy(matMul.outputs[0], cast)) return undefined;

  const [activations, weight, activationZero, weightZero] = matMul.inputs;
  const sliced = producer.get(activations);
  const slice = isOnnxOp(sliced, 'Slice') ? sliced : undefined;
  const quantizer = slice ? producer.get(slice.inputs[0]) : sliced;
  if (!isOnnxOp(quantizer, 'DynamicQuantizeLinear') || quantizer.outputs[2] !== activationZero) return undefined;
  if (quantizer.outputs[0] !== (slice ? slice.inputs[0] : activations)) return undefined;
  const activationScale = quantizer.outputs[1];
  if (scales.inputs.length !== 2 || !scales.inputs.includes(activationScale)) return undefined;
  const weightScale = scales.inputs.find((name) => name !== activationScale);
  if (weightScale === undefined) return undefined;
  return { quantizer, slice, matMul, cast, scales, scaled, weight, weightZero: weightZero || undefined, weightScale };
}
