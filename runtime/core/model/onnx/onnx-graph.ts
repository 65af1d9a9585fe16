// OnnxGraph: the nodes of an ONNX model's graph as names and edges, with the bytes to copy them unchanged.
import { fieldText, MessageWriter, packedInt32s, readFields, type WireField } from './protobuf-wire.js';

export const onnxField = {
  model: { graph: 7, opsetImport: 8 },
  opset: { domain: 1, version: 2 },
  graph: { node: 1, initializer: 5, input: 11, output: 12 },
  node: { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 },
  attribute: { name: 1, f: 2, i: 3, type: 20 },
  valueInfo: { name: 1, type: 2 },
  typeProto: { tensorType: 1 },
  tensorTypeProto: { elementType: 1, shape: 2 },
  shape: { dim: 1 },
  dimension: { value: 1, param: 2 },
  tensor: { dims: 1, dataType: 2, floatData: 4, int32Data: 5, name: 8, rawData: 9, externalData: 13, dataLocation: 14 },
  stringEntry: { key: 1, value: 2 },
} as const;

export const onnxTensorType = { float: 1, uint8: 2, int8: 3, int64: 7, int32: 6 } as const;

export interface OnnxNode {
  /** The node's field in the graph message (its bytes are copied when the node is kept as is). */
  field: WireField;
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  /** Integer attributes (the only kind the rewrites read). */
  attributes: Map<string, number>;
}

export interface OnnxGraph {
  /** The model's graph field. */
  graphField: WireField;
  /** Every field of the graph message, in order. */
  fields: WireField[];
  nodes: OnnxNode[];
  inputNames: string[];
  outputNames: string[];
  /** Version of the default (ai.onnx) opset. */
  opsetVersion: number;
}

/** The graph of `model`, or undefined when the model has none. */
export function readGraph(model: Uint8Array): OnnxGraph | undefined {
  let graphField: WireField | undefined;
  let opsetVersion = 0;
  for (const field of readFields(model)) {
    if (field.number === onnxField.model.graph && field.wireType === 2) graphField = field;
    if (field.number === onnxField.model.opsetImport && field.wireType === 2) {
      let domain = '';
      let version = 0;
      for (const inner of readFields(model, field.start, field.end)) {
        if (inner.number === onnxField.opset.domain) domain = fieldText(model, inner);
        else if (inner.number === onnxField.opset.version) version = inner.varint;
      }
      if (domain === '' || domain === 'ai.onnx') opsetVersion = version;
    }
  }
  if (!graphField) return undefined;
  const fields = [...readFields(model, graphField.start, graphField.end)];
  const names = (number: number) => fields.filter((field) => field.number === number).map((field) => valueInfoName(model, field));
  return {
    graphField,
    fields,
    nodes: fields.filter((field) => field.number === onnxField.graph.node).map((field) => readNode(model, field)),
    inputNames: names(onnxField.graph.input),
    outputNames: names(onnxField.graph.output),
    opsetVersion,
  };
}

function readNode(model: Uint8Array, field: WireField): OnnxNode {
  const node: OnnxNode = { field, name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: new Map() };
  for (const inner of readFields(model, field.start, field.end)) {
    if (inner.number === onnxField.node.input) node.inputs.push(fieldText(model, inner));
    else if (inner.number === onnxField.node.output) node.outputs.push(fieldText(model, inner));
    else if (inner.number === onnxField.node.name) node.name = fieldText(model, inner);
    else if (inner.number === onnxField.node.opType) node.opType = fieldText(model, inner);
    else if (inner.number === onnxField.node.domain) node.domain = fieldText(model, inner);
    else if (inner.number === onnxField.node.attribute) {
      let name = '';
      let value: number | undefined;
      for (const attribute of readFields(model, inner.start, inner.end)) {
        if (attribute.number === onnxField.attribute.name) name = fieldText(model, attribute);
        else if (attribute.number === onnxField.attribute.i && attribute.wireType === 0) value = attribute.varint;
      }
      if (value !== undefined) node.attributes.set(name, value);
    }
  }
  return node;
}

/** True when `node` is the default-domain (ai.onnx) op `opType`. */
export function isOnnxOp(node: OnnxNode | undefined, opType: string): node is OnnxNode {
  return node?.opType === opType && node.domain === '';
}

/** The name of an initializer (a TensorProto field of the graph). */
export function initializerName(model: Uint8Array, field: WireField): string {
  return nameField(model, field, onnxField.tensor.name);
}

/** The name of a graph input or output (a ValueInfoProto field). */
export function valueInfoName(model: Uint8Array, field: WireField): string {
  return nameField(model, field, onnxField.valueInfo.name);
}

function nameField(model: Uint8Array, field: WireField, number: number): string {
  for (const inner of readFields(model, field.start, field.end)) if (inner.number === number) return fieldText(model, inner);
  return '';
}

/** An initializer's type, shape and data, as far as the rewrites read them. */
export interface OnnxInitializer {
  field: WireField;
  name: string;
  dataType: number;
  dims: number[];
  /** Little-endian element bytes (raw_data, or packed float_data). */
  data?: Uint8Array;
  /** Packed int32_data (where ONNX keeps small integer types when there is no raw_data). */
  int32Data?: number[];
}

/**
 * The elements of a float, uint8 or int8 initializer as numbers (raw_data or int32_data), or
 * undefined for another type or data that does not match.
 */
export function initializerValues(initializer: OnnxInitializer | undefined, dataType: number): number[] | undefined {
  if (!initializer || initializer.dataType !== dataType) return undefined;
  const count = initializer.dims.reduce((product, dim) => product * dim, 1);
  const { data, int32Data } = initializer;
  if (dataType === onnxTensorType.float) {
    if (data?.length !== count * 4) return undefined;
    const view = new DataView(data.buffer, data.byteOffset, data.length);
    return Array.from({ length: count }, (_, at) => view.getFloat32(at * 4, true));
  }
  if (dataType !== onnxTensorType.uint8 && dataType !== onnxTensorType.int8) return undefined;
  // int8 raw bytes are two's complement; int32_data already holds the signed value.
  const values = data ? Array.from(data, (byte) => (dataType === onnxTensorType.int8 ? (byte << 24) >> 24 : byte)) : int32Data;
  return values?.length === count ? values : undefined;
}

/** A file of external initializer data, as a session's `externalData` names it. */
export interface ExternalDataFile {
  path: string;
  data: Uint8Array;
}

/** External data files, one or several (see externalizeInitializers). */
export type ExternalData = ExternalDataFile | readonly ExternalDataFile[];

/**
 * The initializer in `field`; undefined when it has no name, or when its data is external
 * (data_location = EXTERNAL) and not in `external`.
 */
export function readInitializer(model: Uint8Array, field: WireField, external?: ExternalData): OnnxInitializer | undefined {
  const initializer: OnnxInitializer = { field, name: '', dataType: 0, dims: [] };
  const location = new Map<string, string>();
  let isExternal = false;
  for (const inner of readFields(model, field.start, field.end)) {
    if (inner.number === onnxField.tensor.name) initializer.name = fieldText(model, inner);
    else if (inner.number === onnxField.tensor.dataType) initializer.dataType = inner.varint;
    else if (inner.number === onnxField.tensor.dims && inner.wireType === 0) initializer.dims.push(inner.varint);
    else if (inner.number === onnxField.tensor.rawData) initializer.data = model.subarray(inner.start, inner.end);
    else if (inner.number === onnxField.tensor.floatData && inner.wireType === 2) initializer.data = model.subarray(inner.start, inner.end);
    else if (inner.number === onnxField.tensor.int32Data && inner.wireType === 2) initializer.int32Data = packedInt32s(model, inner);
    else if (inner.number === onnxField.tensor.externalData && inner.wireType === 2) location.set(...stringEntry(model, inner));
    else if (inner.number === onnxField.tensor.dataLocation && inner.varint === 1) isExternal = true;
  }
  if (isExternal) {
    const file = (Array.isArray(external) ? external : [external]).find((candidate?: ExternalDataFile) => candidate?.path === location.get('location'));
    if (!file) return undefined;
    const offset = Number(location.get('offset') ?? 0);
    const end = offset + Number(location.get('length'));
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(end) || offset < 0 || end < offset || end > file.data.length) return undefined;
    initializer.data = file.data.subarray(offset, end);
  }
  return initializer.name ? initializer : undefined;
}

function stringEntry(model: Uint8Array, field: WireField): [string, string] {
  let key = '';
  let value = '';
  for (const inner of readFields(model, field.start, field.end)) {
    if (inner.number === onnxField.stringEntry.key) key = fieldText(model, inner);
    else if (inner.number === onnxField.stringEntry.value) value = fieldText(model, inner);
  }
  return [key, value];
}

/** Every initializer of the graph that readInitializer understands, by name. */
export function graphInitializers(model: Uint8Array, graph: OnnxGraph, external?: ExternalData): Map<string, OnnxInitializer> {
  const initializers = new Map<string, OnnxInitializer>();
  for (const field of graph.fields) {
    if (field.number !== onnxField.graph.initializer) continue;
    const initializer = readInitializer(model, field, external);
    if (initializer) initializers.set(initializer.name, initializer);
  }
  return initializers;
}

/** Who produces and who reads each tensor of a graph: built once, then looked up. */
export interface GraphIndex {
  graph: OnnxGraph;
  producer: Map<string, OnnxNode>;
  consumers: Map<string, OnnxNode[]>;
}

export function indexGraph(graph: OnnxGraph): GraphIndex {
  const producer = new Map<string, OnnxNode>();
  const consumers = new Map<string, OnnxNode[]>();
  for (const node of graph.nodes) {
    for (const output of node.outputs) producer.set(output, node);
    for (const input of node.inputs) {
      const readers = consumers.get(input);
      if (readers) readers.push(node);
      else consumers.set(input, [node]);
    }
  }
  return { graph, producer, consumers };
}

/** A new NodeProto with integer attributes. */
export function nodeMessage(node: { name: string; opType: string; domain?: string; inputs: string[]; outputs: string[]; attributes?: Record<string, number> }): MessageWriter {
  const writer = new MessageWriter();
  for (const input of node.inputs) writer.text(onnxField.node.input, input);
  for (const output of node.outputs) writer.text(onnxField.node.output, output);
  writer.text(onnxField.node.name, node.name).text(onnxField.node.opType, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    const attributeType = 2; // INT
    writer.message(onnxField.node.attribute, new MessageWriter().text(onnxField.attribute.name, name).varint(onnxField.attribute.i, value).varint(onnxField.attribute.type, attributeType));
  }
  if (node.domain) writer.text(onnxField.node.domain, node.domain);
  return writer;
}

/** A TensorProto initializer holding `data` (little-endian elements) with `dims`. */
export function initializerMessage(name: string, dataType: number, dims: number[], data: Uint8Array): MessageWriter {
  const writer = new MessageWriter();
  for (const dim of dims) writer.varint(onnxField.tensor.dims, dim);
  return writer.varint(onnxField.tensor.dataType, dataType).text(onnxField.tensor.name, name).bytes(onnxField.tensor.rawData, data);
}

/** Ends a TensorProto whose data is `length` bytes at `offset` of the external data file `path`. */
export function withExternalData(tensor: MessageWriter, path: string, offset: number, length: number): MessageWriter {
  const entry = (key: string, value: string) => new MessageWriter().text(onnxField.stringEntry.key, key).text(onnxField.stringEntry.value, value);
  const externalDataLocation = 1;
  return tensor
    .message(onnxField.tensor.externalData, entry('location', path))
    .message(onnxField.tensor.externalData, entry('offset', String(offset)))
    .message(onnxField.tensor.externalData, entry('length', String(length)))
    .varint(onnxField.tensor.dataLocation, externalDataLocation);
}

/** An int64 initializer holding `values`. */
export function int64Initializer(name: string, dims: number[], values: bigint[]): MessageWriter {
  return initializerMessage(name, onnxTensorType.int64, dims, new Uint8Array(BigInt64Array.from(values).buffer));
}

/**
 * A ValueInfoProto (graph input or output) for a tensor of `elementType`; `dims` gives its shape
 * (numbers fixed, strings named free dimensions, [] a scalar), left out when the engine infers it.
 */
export function tensorValueInfo(name: string, elementType: number, dims?: (number | string)[]): MessageWriter {
  const tensorType = new MessageWriter().varint(onnxField.tensorTypeProto.elementType, elementType);
  if (dims) {
    const shape = new MessageWriter();
    for (const dim of dims) {
      const dimension = typeof dim === 'number' ? new MessageWriter().varint(onnxField.dimension.value, dim) : new MessageWriter().text(onnxField.dimension.param, dim);
      shape.message(onnxField.shape.dim, dimension);
    }
    tensorType.message(onnxField.tensorTypeProto.shape, shape);
  }
  return new MessageWriter().text(onnxField.valueInfo.name, name).message(onnxField.valueInfo.type, new MessageWriter().message(onnxField.typeProto.tensorType, tensorType));
}

/** The model with its graph message replaced; every other field copied byte for byte. */
export function withGraph(model: Uint8Array, graphField: WireField, graph: MessageWriter): Uint8Array {
  const out = new MessageWriter();
  for (const field of readFields(model)) {
    if (field.fieldStart === graphField.fieldStart) out.message(onnxField.model.graph, graph);
    else out.raw(model.subarray(field.fieldStart, field.end));
  }
  return out.finish();
}
