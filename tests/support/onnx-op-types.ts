// opTypes: the op_type of every node in an ONNX model's graph, in order (for tests of graph rewrites).
import { fieldText, readFields } from '../../runtime/core/model/onnx/protobuf-wire.js';
import { onnxField } from '../../runtime/core/model/onnx/onnx-graph.js';

export function opTypes(model: Uint8Array): string[] {
  const graph = [...readFields(model)].find((field) => field.number === onnxField.model.graph);
  if (!graph) throw new Error('the model has no graph');
  const ops: string[] = [];
  for (const node of readFields(model, graph.start, graph.end)) {
    if (node.number !== onnxField.graph.node) continue;
    for (const inner of readFields(model, node.start, node.end)) if (inner.number === onnxField.node.opType) ops.push(fieldText(model, inner));
  }
  return ops;
}
