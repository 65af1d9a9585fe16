// identityModel: the smallest ONNX model (Y = Identity(X), one float), for starting an engine without a real model.
import { MessageWriter } from './protobuf-wire.js';
import { nodeMessage, onnxField, onnxTensorType, tensorValueInfo } from './onnx-graph.js';

/** ModelProto bytes: IR 8, opset 13, input X float [1], output Y = Identity(X). */
export function identityModel(): Uint8Array {
  const graph = new MessageWriter()
    .message(onnxField.graph.node, nodeMessage({ name: 'identity', opType: 'Identity', inputs: ['X'], outputs: ['Y'] }))
    .text(2, 'identity')
    .message(onnxField.graph.input, tensorValueInfo('X', onnxTensorType.float, [1]))
    .message(onnxField.graph.output, tensorValueInfo('Y', onnxTensorType.float, [1]));
  const opset = new MessageWriter().text(onnxField.opset.domain, '').varint(onnxField.opset.version, 13);
  return new MessageWriter().varint(1, 8).message(onnxField.model.graph, graph).message(onnxField.model.opsetImport, opset).finish();
}
