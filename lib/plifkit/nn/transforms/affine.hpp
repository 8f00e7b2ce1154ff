// torchvision's RandomAffine as the reference ran it on MNIST (docs/transforms.md):
// RandomAffine(degrees=30, translate=(0.15, 0.15), scale=(0.85, 1.11)) on a
// PIL image, i.e. torchvision 0.7's F.affine, which hands Pillow's
// Image.transform(AFFINE, NEAREST, fillcolor=0) the inverse matrix. Batched
// here on the images' device; the parameters come from a CPU generator.
//
// Semantics reproduced (torchvision 0.7.0 + Pillow's Geometry.c):
// - Draws per image: angle ~ U(-30, 30) degrees; tx = round(U(-0.15 W,
//   0.15 W)), ty = round(U(-0.15 H, 0.15 H)) (round half to even, as
//   np.round); scale ~ U(0.85, 1.11); no shear.
// - Angle clockwise on screen (y down); positive tx moves content right,
//   positive ty down; scale > 1 enlarges.
// - Centre of rotation and scale: (W/2 + 0.5, H/2 + 0.5) in PIL's coordinates,
//   where pixel (i, j) covers [j, j+1) x [i, i+1) (its centre is j + 0.5).
//   torchvision 0.8 and later use (W/2, H/2) for PIL images; that centre is
//   AffineCenter::torchvision_0_8 (not the reference's).
// - Inverse matrix M = C R^-1 S^-1 C^-1 T^-1 = [cos/s, sin/s, m2; -sin/s,
//   cos/s, m5] with m2, m5 computed in double in torchvision's order.
// - Pillow's nearest AFFINE: output pixel (x, y) reads source pixel
//   (floor(u), floor(v)) with (u, v) = M (x + 0.5, y + 0.5), in 16.16 fixed
//   point: A = floor(a * 65536 + 0.5) for the four linear coefficients and for
//   the offsets m2 + 0.5 m0 + 0.5 m1, m5 + 0.5 m3 + 0.5 m4; index = (A_off +
//   x A_x + y A_y) >> 16. When M has no rotation part (m1 == m3 == 0: angle
//   exactly 0), Pillow instead accumulates doubles, u_x = (m2 + 0.5 m0) +
//   m0 + ... (x times), index = -1 if u < 0 else (int) u; reproduced too.
//   Pillow's third path (a corner mapped beyond +-32768 pixels) cannot occur
//   for these sizes and ranges and is refused.
// - Source pixels outside the image give 0.
#pragma once

#include <torch/torch.h>

#include <array>
#include <cstdint>
#include <vector>

namespace plifkit::nn {

// One image's draw, in torchvision's terms.
struct AffineParams {
  double angle_deg = 0;    // clockwise on screen
  double translate_x = 0;  // pixels, whole numbers when drawn
  double translate_y = 0;
  double scale = 1;
};

// Where torchvision puts the centre for PIL images: (W/2 + 0.5, H/2 + 0.5)
// up to 0.7 (the reference), (W/2, H/2) from 0.8 on.
enum class AffineCenter { torchvision_0_7, torchvision_0_8 };

// RandomAffine's arguments (degrees, translate, scale).
struct AffineRanges {
  double degrees;                   // angle ~ U(-degrees, degrees)
  double translate_x, translate_y;  // fractions of W and H
  double scale_min, scale_max;
};
inline constexpr AffineRanges kMnistAffine{30.0, 0.15, 0.15, 0.85, 1.11};

// torchvision's _get_inverse_affine_matrix without shear for an image of
// `width` x `height`: {m0, m1, m2, m3, m4, m5} mapping output to input
// coordinates, computed in double in torchvision's order.
std::array<double, 6> inverse_affine_matrix(const AffineParams& params, int64_t width, int64_t height,
                                            AffineCenter center);

// `batch` draws from `generator` (a CPU generator): one at::rand [batch, 4]
// in double, row b = image b's (angle, tx, ty, scale) uniforms u in [0, 1),
// each mapped as Python's random.uniform(lo, hi) = lo + (hi - lo) u;
// translations then rounded half to even.
std::vector<AffineParams> draw_affine_params(int64_t batch, int64_t width, int64_t height,
                                             const AffineRanges& ranges, at::Generator& generator);

// images: [B, C, H, W] of any dtype on any device; params: B entries.
// Returns the warped images, same shape, dtype and device; all channels of an
// image share its warp. Throws InputError on a bad shape or params count.
torch::Tensor affine_nearest(const torch::Tensor& images, const std::vector<AffineParams>& params,
                             AffineCenter center = AffineCenter::torchvision_0_7);

// draw_affine_params then affine_nearest (the reference's centre).
torch::Tensor random_affine(const torch::Tensor& images, at::Generator& generator,
                            const AffineRanges& ranges = kMnistAffine);

}  // namespace plifkit::nn
