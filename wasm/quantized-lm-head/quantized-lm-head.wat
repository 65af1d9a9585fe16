;; quantized-lm-head: an 8-bit LM head's logits in WASM SIMD, exactly as ONNX's MatMulInteger → Cast → Mul
;; compute them, ~10× onnxruntime-web's kernel for one row (lexicon-tiny: 256 × 4,096).
;; Source of quantized-lm-head-wasm.ts (`npm run build:wasm` compiles it; a test checks the two agree).
;;
;; logits[j] = f32(Σ_k (a[k] − aZero)·(W[k][j] − wZero)) × scale
;;
;; The host lays out (all offsets multiples of 16):
;;   $activations  the row's uint8 activations, padded to $depth with aZero (so the padding adds 0)
;;   $centered     $depth i16 of scratch: a[k] − aZero, written by `logits`
;;   $weights      W transposed: one row of $depth uint8 per logit, padded rows of 0, a multiple of 4 rows
;;   $out          one f32 per weight row
;;
;; The sum is Σ (a − aZero)·W − wZero·Σ (a − aZero): the weights stay uint8 and are widened to i16
;; in registers; i32x4.dot_i16x8_s multiplies and adds pairs exactly (|a − aZero|, W ≤ 255).
(module
  (memory (export "memory") 1)

  (func (export "logits")
    (param $activations i32) (param $aZero i32) (param $centered i32) (param $depth i32)
    (param $weights i32) (param $rows i32) (param $wZero i32) (param $scale f32) (param $out i32)
    (local $k i32) (local $row i32) (local $rowBytes i32) (local $a v128) (local $zero v128)
    (local $sum v128) (local $lo v128) (local $hi v128) (local $w v128) (local $at i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $correction v128) (local $scales v128)

    ;; a − aZero as i16, and its sum.
    (local.set $zero (i16x8.splat (local.get $aZero)))
    (local.set $sum (v128.const i32x4 0 0 0 0))
    (local.set $k (i32.const 0))
    (loop $center
      (local.set $a (v128.load (i32.add (local.get $activations) (local.get $k))))
      (local.set $lo (i16x8.sub (i16x8.extend_low_i8x16_u (local.get $a)) (local.get $zero)))
      (local.set $hi (i16x8.sub (i16x8.extend_high_i8x16_u (local.get $a)) (local.get $zero)))
      (v128.store (i32.add (local.get $centered) (i32.shl (local.get $k) (i32.const 1))) (local.get $lo))
      (v128.store offset=16 (i32.add (local.get $centered) (i32.shl (local.get $k) (i32.const 1))) (local.get $hi))
      (local.set $sum (i32x4.add (local.get $sum) (i32x4.add (i32x4.extadd_pairwise_i16x8_s (local.get $lo)) (i32x4.extadd_pairwise_i16x8_s (local.get $hi)))))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br_if $center (i32.lt_u (local.get $k) (local.get $depth))))
    (local.set $correction (i32x4.splat (i32.mul (local.get $wZero)
      (i32.add (i32.add (i32x4.extract_lane 0 (local.get $sum)) (i32x4.extract_lane 1 (local.get $sum)))
               (i32.add (i32x4.extract_lane 2 (local.get $sum)) (i32x4.extract_lane 3 (local.get $sum)))))))
    (local.set $scales (f32x4.splat (local.get $scale)))

    ;; Four weight rows a turn share each load of the centered activations.
    (local.set $rowBytes (local.get $depth))
    (local.set $row (i32.const 0))
    (loop $rowsLoop
      (local.set $c0 (v128.const i32x4 0 0 0 0))
      (local.set $c1 (v128.const i32x4 0 0 0 0))
      (local.set $c2 (v128.const i32x4 0 0 0 0))
      (local.set $c3 (v128.const i32x4 0 0 0 0))
      (local.set $at (i32.add (local.get $weights) (i32.mul (local.get $row) (local.get $rowBytes))))
      (local.set $k (i32.const 0))
      (loop $dot
        (local.set $lo (v128.load (i32.add (local.get $centered) (i32.shl (local.get $k) (i32.const 1)))))
        (local.set $hi (v128.load offset=16 (i32.add (local.get $centered) (i32.shl (local.get $k) (i32.const 1)))))
        (local.set $w (v128.load (i32.add (local.get $at) (local.get $k))))
        (local.set $c0 (i32x4.add (local.get $c0) (i32x4.add
          (i32x4.dot_i16x8_s (local.get $lo) (i16x8.extend_low_i8x16_u (local.get $w)))
          (i32x4.dot_i16x8_s (local.get $hi) (i16x8.extend_high_i8x16_u (local.get $w))))))
        (local.set $w (v128.load (i32.add (i32.add (local.get $at) (local.get $rowBytes)) (local.get $k))))
        (local.set $c1 (i32x4.add (local.get $c1) (i32x4.add
          (i32x4.dot_i16x8_s (local.get $lo) (i16x8.extend_low_i8x16_u (local.get $w)))
          (i32x4.dot_i16x8_s (local.get $hi) (i16x8.extend_high_i8x16_u (local.get $w))))))
        (local.set $w (v128.load (i32.add (i32.add (local.get $at) (i32.shl (local.get $rowBytes) (i32.const 1))) (local.get $k))))
        (local.set $c2 (i32x4.add (local.get $c2) (i32x4.add
          (i32x4.dot_i16x8_s (local.get $lo) (i16x8.extend_low_i8x16_u (local.get $w)))
          (i32x4.dot_i16x8_s (local.get $hi) (i16x8.extend_high_i8x16_u (local.get $w))))))
        (local.set $w (v128.load (i32.add (i32.add (local.get $at) (i32.mul (local.get $rowBytes) (i32.const 3))) (local.get $k))))
        (local.set $c3 (i32x4.add (local.get $c3) (i32x4.add
          (i32x4.dot_i16x8_s (local.get $lo) (i16x8.extend_low_i8x16_u (local.get $w)))
          (i32x4.dot_i16x8_s (local.get $hi) (i16x8.extend_high_i8x16_u (local.get $w))))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br_if $dot (i32.lt_u (local.get $k) (local.get $depth))))
      ;; Transpose-add the four accumulators into [row, row+1, row+2, row+3].
      (local.set $c0 (i32x4.add
        (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $c0) (local.get $c1))
        (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $c0) (local.get $c1))))
      (local.set $c2 (i32x4.add
        (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $c2) (local.get $c3))
        (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $c2) (local.get $c3))))
      (local.set $c0 (i32x4.add
        (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $c0) (local.get $c2))
        (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $c0) (local.get $c2))))
      (v128.store (i32.add (local.get $out) (i32.shl (local.get $row) (i32.const 2)))
        (f32x4.mul (f32x4.convert_i32x4_s (i32x4.sub (local.get $c0) (local.get $correction))) (local.get $scales)))
      (local.set $row (i32.add (local.get $row) (i32.const 4)))
      (br_if $rowsLoop (i32.lt_u (local.get $row) (local.get $rows))))))
