;; logit-summary: the gate's per-token statistics over a logits vector in WASM SIMD, 3-4x the JS loop.
;; Source of logit-summary-wasm.ts (`npm run build:wasm` compiles it; a test checks the two agree).
;;
;; Memory, in bytes:
;;   0..31     results: f64 Σe^x @0, f64 Σx·e^x @8, f32 top1 @16, f32 top2 @20, i32 top1 index @24
;;   256..463  13 constants the start function stores (see $storeConstants)
;;   512..     the logits, a multiple of 8 of them: the host pads with -Infinity
;;
;; x = logit - top1 (<= 0). e^x is Cephes' expf (about 1 ulp in float32); each vector of 4 terms is
;; widened to f64 before it is added, so the sums keep the float32 terms' precision over any vocabulary.
(module
  (memory (export "memory") 1)
  (global (export "logitsAt") i32 (i32.const 512))
  (global $top1 (mut f32) (f32.const -inf))
  (global $top2 (mut f32) (f32.const -inf))

  ;; V8 rebuilds every v128.const inside a loop from general registers (3 instructions each);
  ;; loads from memory it cannot fold, so the loop keeps them in vector registers.
  (func $storeConstants
    (v128.store (i32.const 256) (v128.const f32x4 -87 -87 -87 -87))                 ;; floor: e^-87 is float32's smallest normal
    (v128.store (i32.const 272) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504)) ;; log2(e)
    (v128.store (i32.const 288) (v128.const f32x4 12582912 12582912 12582912 12582912)) ;; 1.5·2^23: adding it rounds to an integer
    (v128.store (i32.const 304) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)) ;; ln 2, high part
    (v128.store (i32.const 320) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4)) ;; ln 2, low part
    (v128.store (i32.const 336) (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
    (v128.store (i32.const 352) (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3))
    (v128.store (i32.const 368) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3))
    (v128.store (i32.const 384) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2))
    (v128.store (i32.const 400) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1))
    (v128.store (i32.const 416) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1))
    (v128.store (i32.const 432) (v128.const f32x4 1 1 1 1))
    ;; bits of 1.5·2^23 minus the exponent bias: (bits(k + 1.5·2^23) - this) << 23 = bits of 2^k
    (v128.store (i32.const 448) (v128.const i32x4 0x4B3FFF81 0x4B3FFF81 0x4B3FFF81 0x4B3FFF81)))
  (start $storeConstants)

  ;; The scalar top-two update, as the JS loop does it: ties and NaN never displace the first top.
  (func $offer (param $v f32)
    (if (f32.gt (local.get $v) (global.get $top1))
      (then (global.set $top2 (global.get $top1)) (global.set $top1 (local.get $v)))
      (else (if (f32.gt (local.get $v) (global.get $top2)) (then (global.set $top2 (local.get $v)))))))

  (func $offerLanes (param $v v128)
    (call $offer (f32x4.extract_lane 0 (local.get $v)))
    (call $offer (f32x4.extract_lane 1 (local.get $v)))
    (call $offer (f32x4.extract_lane 2 (local.get $v)))
    (call $offer (f32x4.extract_lane 3 (local.get $v))))

  (func (export "summarize") (param $n i32)
    (local $p i32) (local $end i32) (local $lane i32) (local $id i32)
    (local $v v128) (local $t1 v128) (local $t2 v128) (local $top v128)
    (local $floor v128) (local $log2e v128) (local $magic v128) (local $ln2hi v128) (local $ln2lo v128)
    (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $p3 v128) (local $p4 v128) (local $p5 v128)
    (local $one v128) (local $bias v128)
    (local $x0 v128) (local $k0 v128) (local $r0 v128) (local $y0 v128) (local $e0 v128)
    (local $x1 v128) (local $k1 v128) (local $r1 v128) (local $y1 v128) (local $e1 v128)
    (local $sum v128) (local $weighted v128)
    (local.set $end (i32.add (i32.const 512) (i32.shl (local.get $n) (i32.const 2))))

    ;; Pass 1: each lane's top two (pmin/pmax skip NaN as the JS comparisons do), then merged.
    (local.set $t1 (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $t2 (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $p (i32.const 512))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $v (v128.load (local.get $p)))
      (local.set $t2 (f32x4.pmax (local.get $t2) (f32x4.pmin (local.get $v) (local.get $t1))))
      (local.set $t1 (f32x4.pmax (local.get $t1) (local.get $v)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $next)))
    (global.set $top1 (f32.const -inf))
    (global.set $top2 (f32.const -inf))
    (call $offerLanes (local.get $t1))
    (call $offerLanes (local.get $t2))

    ;; The first index holding the top value (0 when every logit is -Infinity or NaN, as in JS).
    (local.set $id (i32.const 0))
    (if (f32.gt (global.get $top1) (f32.const -inf)) (then
      (local.set $top (f32x4.splat (global.get $top1)))
      (local.set $p (i32.const 512))
      (block $found (loop $scan
        (br_if $found (i32.ge_u (local.get $p) (local.get $end)))
        (if (v128.any_true (f32x4.eq (v128.load (local.get $p)) (local.get $top))) (then
          (local.set $lane (i32.const 0))
          (block $inVector (loop $lanes
            (br_if $inVector (f32.eq (f32.load (i32.add (local.get $p) (i32.shl (local.get $lane) (i32.const 2)))) (global.get $top1)))
            (local.set $lane (i32.add (local.get $lane) (i32.const 1)))
            (br $lanes)))
          (local.set $id (i32.add (i32.shr_u (i32.sub (local.get $p) (i32.const 512)) (i32.const 2)) (local.get $lane)))
          (br $found)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $scan)))))

    ;; Pass 2: Σe^x and Σx·e^x, 8 logits a turn as two independent copies of the same steps
    ;; (suffix 0 and 1) so that one's multiply chain overlaps the other's.
    ;; x is floored at -87 so that k + 127 stays a normal exponent and -Infinity adds 0, not NaN.
    (local.set $top (f32x4.splat (global.get $top1)))
    (local.set $floor (v128.load (i32.const 256)))
    (local.set $log2e (v128.load (i32.const 272)))
    (local.set $magic (v128.load (i32.const 288)))
    (local.set $ln2hi (v128.load (i32.const 304)))
    (local.set $ln2lo (v128.load (i32.const 320)))
    (local.set $p0 (v128.load (i32.const 336)))
    (local.set $p1 (v128.load (i32.const 352)))
    (local.set $p2 (v128.load (i32.const 368)))
    (local.set $p3 (v128.load (i32.const 384)))
    (local.set $p4 (v128.load (i32.const 400)))
    (local.set $p5 (v128.load (i32.const 416)))
    (local.set $one (v128.load (i32.const 432)))
    (local.set $bias (v128.load (i32.const 448)))
    (local.set $sum (v128.const f64x2 0 0))
    (local.set $weighted (v128.const f64x2 0 0))
    (local.set $p (i32.const 512))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      ;; k = round(x·log2 e) kept in the magic number's low bits; r = x - k·ln 2 in two parts
      (local.set $x0 (f32x4.pmax (f32x4.sub (v128.load (local.get $p)) (local.get $top)) (local.get $floor)))
      (local.set $k0 (f32x4.add (f32x4.mul (local.get $x0) (local.get $log2e)) (local.get $magic)))
      (local.set $y0 (f32x4.sub (local.get $k0) (local.get $magic)))
      (local.set $r0 (f32x4.sub (f32x4.sub (local.get $x0) (f32x4.mul (local.get $y0) (local.get $ln2hi))) (f32x4.mul (local.get $y0) (local.get $ln2lo))))
      ;; e^r = 1 + r + r²·P(r), then times 2^k built in the exponent bits
      (local.set $y0 (f32x4.add (f32x4.mul (local.get $r0) (local.get $p0)) (local.get $p1)))
      (local.set $y0 (f32x4.add (f32x4.mul (local.get $y0) (local.get $r0)) (local.get $p2)))
      (local.set $y0 (f32x4.add (f32x4.mul (local.get $y0) (local.get $r0)) (local.get $p3)))
      (local.set $y0 (f32x4.add (f32x4.mul (local.get $y0) (local.get $r0)) (local.get $p4)))
      (local.set $y0 (f32x4.add (f32x4.mul (local.get $y0) (local.get $r0)) (local.get $p5)))
      (local.set $y0 (f32x4.add (f32x4.add (f32x4.mul (local.get $y0) (f32x4.mul (local.get $r0) (local.get $r0))) (local.get $r0)) (local.get $one)))
      (local.set $e0 (f32x4.mul (local.get $y0) (i32x4.shl (i32x4.sub (local.get $k0) (local.get $bias)) (i32.const 23))))

      (local.set $x1 (f32x4.pmax (f32x4.sub (v128.load offset=16 (local.get $p)) (local.get $top)) (local.get $floor)))
      (local.set $k1 (f32x4.add (f32x4.mul (local.get $x1) (local.get $log2e)) (local.get $magic)))
      (local.set $y1 (f32x4.sub (local.get $k1) (local.get $magic)))
      (local.set $r1 (f32x4.sub (f32x4.sub (local.get $x1) (f32x4.mul (local.get $y1) (local.get $ln2hi))) (f32x4.mul (local.get $y1) (local.get $ln2lo))))
      (local.set $y1 (f32x4.add (f32x4.mul (local.get $r1) (local.get $p0)) (local.get $p1)))
      (local.set $y1 (f32x4.add (f32x4.mul (local.get $y1) (local.get $r1)) (local.get $p2)))
      (local.set $y1 (f32x4.add (f32x4.mul (local.get $y1) (local.get $r1)) (local.get $p3)))
      (local.set $y1 (f32x4.add (f32x4.mul (local.get $y1) (local.get $r1)) (local.get $p4)))
      (local.set $y1 (f32x4.add (f32x4.mul (local.get $y1) (local.get $r1)) (local.get $p5)))
      (local.set $y1 (f32x4.add (f32x4.add (f32x4.mul (local.get $y1) (f32x4.mul (local.get $r1) (local.get $r1))) (local.get $r1)) (local.get $one)))
      (local.set $e1 (f32x4.mul (local.get $y1) (i32x4.shl (i32x4.sub (local.get $k1) (local.get $bias)) (i32.const 23))))

      ;; each vector widened to f64x2 (lanes 0+2, 1+3) before it is added; inlined, as V8 does not inline calls
      (local.set $sum (f64x2.add (local.get $sum) (f64x2.add
        (f64x2.add (f64x2.promote_low_f32x4 (local.get $e0))
                    (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $e0) (local.get $e0))))
        (f64x2.add (f64x2.promote_low_f32x4 (local.get $e1))
                    (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $e1) (local.get $e1)))))))
      (local.set $e0 (f32x4.mul (local.get $e0) (local.get $x0)))
      (local.set $e1 (f32x4.mul (local.get $e1) (local.get $x1)))
      (local.set $weighted (f64x2.add (local.get $weighted) (f64x2.add
        (f64x2.add (f64x2.promote_low_f32x4 (local.get $e0))
                    (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $e0) (local.get $e0))))
        (f64x2.add (f64x2.promote_low_f32x4 (local.get $e1))
                    (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $e1) (local.get $e1)))))))
      (local.set $p (i32.add (local.get $p) (i32.const 32)))
      (br $next)))

    (f64.store (i32.const 0) (f64.add (f64x2.extract_lane 0 (local.get $sum)) (f64x2.extract_lane 1 (local.get $sum))))
    (f64.store (i32.const 8) (f64.add (f64x2.extract_lane 0 (local.get $weighted)) (f64x2.extract_lane 1 (local.get $weighted))))
    (f32.store (i32.const 16) (global.get $top1))
    (f32.store (i32.const 20) (global.get $top2))
    (i32.store (i32.const 24) (local.get $id))))
