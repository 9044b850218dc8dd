;; The inner loop of `resizeBilinearRgb` (resize-bilinear.ts), one RGB pixel per step in 128-bit
;; SIMD lanes: the three channels of a pixel are blended together, 4 times less work than one byte at
;; a time in JavaScript. Compiled into resize-bilinear-wasm.ts by its test (`vitest -u` writes it).
;;
;; Arguments are byte offsets into this module's memory, laid out by resize-bilinear-kernel.ts:
;; - `rowFirst`/`rowWeight` (i32 each, one per output row): the offset from `src` of the upper of the
;;   two source rows, and the lower one's 11-bit weight; `rowNext` is the offset from upper to lower.
;; - `colFirst`/`colWeight` (one per output column): the same across, with `colNext` from left to
;;   right. Offsets may step backwards: that is how EXIF orientations are read where they are stored.
;; Every pixel is read and written as 4 bytes, so `src` and `dst` each need 1 byte to spare at the
;; end; a pixel's 4th byte is written over by the next pixel.
(module
  (memory (export "memory") 1)
  (func (export "resize")
    (param $src i32) (param $dst i32) (param $outWidth i32) (param $outHeight i32)
    (param $rowFirst i32) (param $rowWeight i32) (param $rowNext i32)
    (param $colFirst i32) (param $colWeight i32) (param $colNext i32)
    (local $y i32) (local $x i32) (local $top i32) (local $at i32) (local $to i32)
    (local $below i32)
    (local $up v128) (local $down v128) (local $left v128) (local $right v128) (local $sum v128)
    (local.set $to (local.get $dst))
    (loop $rows
      (local.set $top
        (i32.add (local.get $src)
          (i32.load (i32.add (local.get $rowFirst) (i32.shl (local.get $y) (i32.const 2))))))
      (local.set $down
        (i32x4.splat (i32.load (i32.add (local.get $rowWeight) (i32.shl (local.get $y) (i32.const 2))))))
      (local.set $up (i32x4.sub (i32x4.splat (i32.const 2048)) (local.get $down)))
      (local.set $x (i32.const 0))
      (loop $columns
        (local.set $at
          (i32.add (local.get $top)
            (i32.load (i32.add (local.get $colFirst) (i32.shl (local.get $x) (i32.const 2))))))
        (local.set $right
          (i32x4.splat (i32.load (i32.add (local.get $colWeight) (i32.shl (local.get $x) (i32.const 2))))))
        (local.set $left (i32x4.sub (i32x4.splat (i32.const 2048)) (local.get $right)))
        ;; (upper·up + lower·down + 2^21) >> 22, each side the pixel at its offset blended with the
        ;; one `colNext` on; one i32 lane per channel. The largest sum, 255·2048·2048, stays under
        ;; 2^31. Written out in full: Node 20's V8 did not inline helper functions here, and a call
        ;; per pixel made the resize several times slower.
        (local.set $below (i32.add (local.get $at) (local.get $rowNext)))
        (local.set $sum
          (i32x4.add
            (i32x4.mul (local.get $up)
              (i32x4.add
                (i32x4.mul (local.get $left)
                  (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
                    (v128.load32_zero (local.get $at)))))
                (i32x4.mul (local.get $right)
                  (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
                    (v128.load32_zero (i32.add (local.get $at) (local.get $colNext))))))))
            (i32x4.mul (local.get $down)
              (i32x4.add
                (i32x4.mul (local.get $left)
                  (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
                    (v128.load32_zero (local.get $below)))))
                (i32x4.mul (local.get $right)
                  (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
                    (v128.load32_zero (i32.add (local.get $below) (local.get $colNext))))))))))
        (local.set $sum
          (i32x4.shr_s (i32x4.add (local.get $sum) (i32x4.splat (i32.const 2097152))) (i32.const 22)))
        ;; 0–255 in each lane: narrowed to bytes, the first 4 stored.
        (local.set $sum (i16x8.narrow_i32x4_u (local.get $sum) (local.get $sum)))
        (i32.store (local.get $to)
          (i32x4.extract_lane 0 (i8x16.narrow_i16x8_u (local.get $sum) (local.get $sum))))
        (local.set $to (i32.add (local.get $to) (i32.const 3)))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br_if $columns (i32.lt_u (local.get $x) (local.get $outWidth))))
      (local.set $y (i32.add (local.get $y) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $y) (local.get $outHeight))))))
