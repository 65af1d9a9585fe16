// ModelSource: how the core reads a model's files, whatever stores them (disk, Cache Storage, HTTP).

/** Reads the files of one model directory by path relative to it (e.g. `onnx/model_q4.onnx`). */
export interface ModelSource {
  /** A human-readable location for error messages (a directory or a URL). */
  readonly location: string;
  /** The file's bytes; throws NexusError MODEL_NOT_FOUND when it is absent. */
  readBytes(path: string): Promise<Uint8Array>;
  /** Whether the file exists, without reading it. */
  exists(path: string): Promise<boolean>;
}
