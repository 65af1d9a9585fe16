// identityModel: the smallest ONNX model (Y = Identity(X), one float), for starting an engine without a real model.
import { MessageWriter } from './protobuf-wire.js';
import { nodeMessage, onnxField, onnxTensorType } from './onnx-graph.js';

function floatValueInfo(name: string): MessageWriter {
  const dim = new MessageWriter().varint(1, 1);
  const shape = new MessageWriter().message(1, dim);
  const tensorType = new MessageWriter().varint(1, onnxTensorType.float).message(2, shape);
  return new MessageWriter().text(onnxField.valueInfo.name, name).message(2, new MessageWriter().message(1, tensorType));
}

/** ModelProto bytes: IR 8, opset 13, input X float [1], output Y = Identity(X). */
export function identityModel(): Uint8Array {
  const graph = new MessageWriter()
    .message(onnxField.graph.node, nodeMessage({ name: 'identity', opType: 'Identity', inputs: ['X'], outputs: ['Y'] }))
    .text(2, 'identity')
    .message(onnxField.graph.input, floatValueInfo('X'))
    .message(onnxField.graph.output, floatValueInfo('Y'));
  const opset = new MessageWriter().text(onnxField.opset.domain, '').varint(onnxField.opset.version, 13);
  return new MessageWriter().varint(1, 8).message(onnxField.model.graph, graph).message(onnxField.model.opsetImport, opset).finish();
}
