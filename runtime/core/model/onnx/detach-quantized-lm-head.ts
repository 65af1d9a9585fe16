// Takes an 8-bit LM head out of the graph: the model outputs the head's quantized input, and our WASM kernel computes the logits.
//
// Why: on one row (decode, and prefill once the LM head sees only the last position),
// onnxruntime-web's MatMulInteger spends ~550 µs on lexicon-tiny's 256 × 4,096 head, about a sixth
// of a WASM decode step, where a SIMD dot-product loop needs ~50 µs. The quantizer
// (DynamicQuantizeLinear) stays in the graph, so the activations, their scale and zero point are
// ORT's own, and the integer sums are exact: the logits are the same float32 values.
import type { QuantizedLmHeadWeights } from '../quantized-lm-head.js';
import { integerProductEndingAt } from './integer-product.js';
import { MessageWriter } from './protobuf-wire.js';
import { graphInitializers, indexGraph, initializerName, initializerValues, onnxField, onnxTensorType, readGraph, tensorValueInfo, valueInfoName, withGraph, type ExternalData, type OnnxInitializer } from './onnx-graph.js';

/** The graph outputs the head reads in place of `logits`. */
export interface LmHeadOutputs {
  /** uint8 [..., depth]: the last row is the one the logits are for. */
  activations: string;
  /** float32 scalar. */
  scale: string;
  /** uint8 scalar. */
  zeroPoint: string;
}

export interface DetachedLmHead {
  bytes: Uint8Array;
  head: QuantizedLmHeadWeights;
  outputs: LmHeadOutputs;
}

/**
 * Recognises `logits = Cast(MatMulInteger(q, W, qZero, wZero)) × (qScale × wScale)` where q, qScale
 * and qZero come from one DynamicQuantizeLinear (q possibly through the last-position Slice) and
 * W, wZero, wScale are per-tensor initializers: W and wZero uint8 or int8 (transformers.js's q8
 * exports use int8 unless the model has Conv or fused attention), wScale float. Returns undefined
 * for anything else. W may be external data in `external`.
 */
export function detachQuantizedLmHead(model: Uint8Array, external?: ExternalData): DetachedLmHead | undefined {
  const graph = readGraph(model);
  if (!graph?.outputNames.includes('logits')) return undefined;
  const index = indexGraph(graph);
  const { producer, consumers } = index;
  const output = producer.get('logits');
  if (!output || consumers.has('logits')) return undefined;
  const product = integerProductEndingAt(index, output);
  if (!product) return undefined;
  const { matMul, cast, scales, quantizer, weight: weightName, weightZero: weightZeroName, weightScale: weightScaleName } = product;
  const [activations, , activationZero] = matMul.inputs;
  const activationScale = quantizer.outputs[1];

  const initializers = graphInitializers(model, graph, external);
  const weights = initializers.get(weightName);
  const signed = weights?.dataType === onnxTensorType.int8;
  if (!weights || (!signed && weights.dataType !== onnxTensorType.uint8)) return undefined;
  const weightZero = scalarOf(weightZeroName === undefined ? undefined : initializers.get(weightZeroName), weights.dataType);
  const weightScale = scalarOf(initializers.get(weightScaleName), onnxTensorType.float);
  if (weights.dims.length !== 2 || !weights.data || weightZero === undefined || weightScale === undefined) return undefined;
  const [depth, vocabulary] = weights.dims;
  if (weights.data.length !== depth * vocabulary) return undefined;

  const removedNodes = new Set([output, cast, scales, matMul].map((node) => node.field.fieldStart));
  const headOnly = [weightName, weightZeroName!, weightScaleName].filter((name) => consumers.get(name)?.every((reader) => reader === matMul || reader === scales));
  const removedInitializers = new Set(headOnly);
  const outputs: LmHeadOutputs = { activations, scale: activationScale, zeroPoint: activationZero };
  const writer = new MessageWriter();
  for (const field of graph.fields) {
    if (field.number === onnxField.graph.node && removedNodes.has(field.fieldStart)) continue;
    if (field.number === onnxField.graph.initializer && removedInitializers.has(initializerName(model, field))) continue;
    if (field.number === onnxField.graph.output && valueInfoName(model, field) === 'logits') {
      writer.message(onnxField.graph.output, tensorValueInfo(outputs.activations, onnxTensorType.uint8));
      writer.message(onnxField.graph.output, tensorValueInfo(outputs.scale, onnxTensorType.float));
      writer.message(onnxField.graph.output, tensorValueInfo(outputs.zeroPoint, onnxTensorType.uint8));
      continue;
    }
    writer.raw(model.subarray(field.fieldStart, field.end));
  }
  return {
    bytes: withGraph(model, graph.graphField, writer),
    head: { weights: weights.data, signed, depth, vocabulary, zeroPoint: weightZero, scale: weightScale },
    outputs,
  };
}

/** The single value of a scalar (or one-element) initializer of `dataType`. */
function scalarOf(initializer: OnnxInitializer | undefined, dataType: number): number | undefined {
  const values = initializer?.dims.every((dim) => dim === 1) ? initializerValues(initializer, dataType) : undefined;
  return values?.length === 1 ? values[0] : undefined;
}
