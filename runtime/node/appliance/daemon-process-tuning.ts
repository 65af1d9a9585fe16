// How the appliance's Node process is started: the V8 flags and glibc setting that keep its memory small.

/**
 * Young-generation semi-spaces of 1 MB instead of V8's default (grows to 16 MB): the appliance
 * allocates little that lives, and module loading alone had grown the heap to 32 MB. Measured:
 * peak RSS with the native engine 158–170 → 136–141 MB, with WASM 309–336 → 285–308 MB; total GC
 * time over 25 answers 140 → 192 ms (WASM) and 96 → 85 ms (native), under 1 % of generation.
 * --expose-gc: the model loader collects the load's garbage (onnxruntime-web's binary as read; on
 * native the file's bytes and the rewrites' copies) before the session is created (see core
 * collectGarbage): appliance peak RSS native 157–162 → 140–143 MB, WASM 161–163 → 143–144 MB.
 */
export const daemonNodeFlags: readonly string[] = ['--max-semi-space-size=1', '--expose-gc'];

/**
 * glibc malloc settings; a value the caller's environment already has wins.
 * - MALLOC_ARENA_MAX: one arena instead of one per thread that allocates: V8's compiler threads
 *   fill several while compiling onnxruntime's WASM (appliance peak RSS 432 → 355 MB).
 * - MALLOC_MMAP_THRESHOLD_: blocks of 1 MB and more always get their own mapping, returned to the
 *   system when freed. glibc's default raises that threshold to the size of the first large block
 *   freed, so the load's later large buffers (onnxruntime-web's binary as read, the model file) could
 *   land in the main heap, and when freed below live data they stayed resident: some starts kept
 *   20 MB more ([heap] 42 instead of 21–26 MB). Appliance peak over 20 answers, 8 alternating
 *   starts each: 138.7–160.8 MB (two at 160.7 and 160.8) → 137.6–148.2 MB.
 */
export const daemonEnvironment: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: String(2 ** 20) };
