// ModelDtype: the weight precisions a model directory can offer, and the file each lives in.

export const modelDtypes = ['q4', 'q8', 'fp32', 'fp16', 'q4f16'] as const;
export type ModelDtype = (typeof modelDtypes)[number];

/** Optimum/transformers.js file names per dtype, first match wins. */
export const onnxFilesByDtype: Record<ModelDtype, string[]> = {
  q8: ['onnx/model_quantized.onnx', 'onnx/model_int8.onnx', 'onnx/model_uint8.onnx'],
  q4: ['onnx/model_q4.onnx'],
  fp32: ['onnx/model.onnx'],
  fp16: ['onnx/model_fp16.onnx'],
  q4f16: ['onnx/model_q4f16.onnx'],
};

export function isModelDtype(value: string): value is ModelDtype {
  return (modelDtypes as readonly string[]).includes(value);
}
