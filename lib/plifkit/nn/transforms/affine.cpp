#include "plifkit/nn/transforms/affine.hpp"

#include <cmath>
#include <sstream>

#include "plifkit/core/error.hpp"
#include "plifkit/core/math_constants.hpp"
#include "plifkit/nn/transforms/image_batch.hpp"

// Built with -ffp-contract=off (lib/CMakeLists.txt): the matrix must round
// like Python's double arithmetic, which never fuses a multiply and an add.

namespace plifkit::nn {
namespace {

// CPython's math.radians multiplies by this constant.
constexpr double kDegToRad = kPi / 180.0;

// Pillow's FIX(): 16.16 fixed point, halves rounded up.
int64_t fixed_16_16(double v) { return static_cast<int64_t>(std::floor(v * 65536.0 + 0.5)); }

// Pillow's COORD(): any negative coordinate is -1 (outside), else truncated.
int64_t pil_coord(double v) { return v < 0.0 ? -1 : static_cast<int64_t>(v); }

// Pillow's check_fixed() over the output's four corners: whether its fixed
// point path applies.
bool fits_fixed_point(const std::array<double, 6>& m, int64_t width, int64_t height) {
  const double w = static_cast<double>(width), h = static_cast<double>(height);
  const std::pair<double, double> corners[] = {{0, 0}, {w, h}, {0, h}, {w, 0}};
  for (const auto& [x, y] : corners) {
    if (!(std::fabs(x * m[0] + y * m[1] + m[2]) < 32768.0 && std::fabs(x * m[3] + y * m[4] + m[5]) < 32768.0))
      return false;
  }
  return true;
}

// Source column and row of every output pixel, int64 [B, H, W] on `device`;
// -1 or >= W / H where the source is outside the image.
struct SourceMaps {
  torch::Tensor x, y;
};

SourceMaps source_maps(const std::vector<std::array<double, 6>>& matrices, int64_t width, int64_t height,
                       const torch::Device& device) {
  const auto batch = static_cast<int64_t>(matrices.size());
  // Per image the fixed-point terms (x coefficient, y coefficient, offset)
  // of u, then of v; images without a rotation part are left at 0 here and
  // tabulated below instead.
  std::vector<int64_t> terms(static_cast<size_t>(batch) * 6, 0);
  std::vector<int64_t> unrotated;
  for (int64_t b = 0; b < batch; ++b) {
    const auto& m = matrices[static_cast<size_t>(b)];
    if (m[1] == 0.0 && m[3] == 0.0) {
      unrotated.push_back(b);
      continue;
    }
    if (!fits_fixed_point(m, width, height)) {
      std::ostringstream message;
      message << "affine_nearest: image " << b << " maps a corner beyond 32768 pixels, where Pillow "
              << "switches to a floating-point path that is not reproduced";
      throw InputError(message.str());
    }
    int64_t* t = &terms[static_cast<size_t>(b) * 6];
    t[0] = fixed_16_16(m[0]);
    t[1] = fixed_16_16(m[1]);
    t[2] = fixed_16_16(m[2] + m[0] * 0.5 + m[1] * 0.5);
    t[3] = fixed_16_16(m[3]);
    t[4] = fixed_16_16(m[4]);
    t[5] = fixed_16_16(m[5] + m[3] * 0.5 + m[4] * 0.5);
  }
  const auto longs = torch::TensorOptions().dtype(torch::kLong);
  const auto k = torch::tensor(terms, longs).view({batch, 6}).to(device);
  const auto term = [&](int64_t i) { return k.select(1, i).view({batch, 1, 1}); };
  const auto xs = torch::arange(width, longs.device(device)).view({1, 1, width});
  const auto ys = torch::arange(height, longs.device(device)).view({1, height, 1});
  // Pillow's `xx >> 16` on ints: a floor division by 2^16.
  SourceMaps maps{at::div(term(2) + xs * term(0) + ys * term(1), 65536, "floor"),
                  at::div(term(5) + xs * term(3) + ys * term(4), 65536, "floor")};
  if (unrotated.empty()) return maps;

  // Pillow's ImagingScaleAffine: one source column per output column and one
  // row per output row, accumulated in double from the first pixel centre.
  const auto n = static_cast<int64_t>(unrotated.size());
  auto table_x = torch::empty({n, height, width}, longs);
  auto table_y = torch::empty({n, height, width}, longs);
  for (int64_t i = 0; i < n; ++i) {
    const auto& m = matrices[static_cast<size_t>(unrotated[static_cast<size_t>(i)])];
    auto column = torch::empty({width}, longs);
    auto row = torch::empty({height}, longs);
    auto* c = column.data_ptr<int64_t>();
    auto* r = row.data_ptr<int64_t>();
    double xo = m[2] + m[0] * 0.5;
    for (int64_t x = 0; x < width; ++x, xo += m[0]) c[x] = pil_coord(xo);
    double yo = m[5] + m[4] * 0.5;
    for (int64_t y = 0; y < height; ++y, yo += m[4]) r[y] = pil_coord(yo);
    table_x[i].copy_(column.view({1, width}).expand({height, width}));
    table_y[i].copy_(row.view({height, 1}).expand({height, width}));
  }
  const auto which = torch::tensor(unrotated, longs).to(device);
  maps.x.index_copy_(0, which, table_x.to(device));
  maps.y.index_copy_(0, which, table_y.to(device));
  return maps;
}

}  // namespace

std::array<double, 6> inverse_affine_matrix(const AffineParams& params, int64_t width, int64_t height,
                                            AffineCenter center) {
  if (!(params.scale > 0.0)) {
    std::ostringstream message;
    message << "affine: scale must be positive, got " << params.scale;
    throw InputError(message.str());
  }
  const double half = center == AffineCenter::torchvision_0_7 ? 0.5 : 0.0;
  const double cx = static_cast<double>(width) * 0.5 + half;
  const double cy = static_cast<double>(height) * 0.5 + half;
  const double tx = params.translate_x, ty = params.translate_y, s = params.scale;
  const double rot = params.angle_deg * kDegToRad;
  // Without shear torchvision's a, b, c, d are exactly cos, -sin, sin, cos
  // (the shear terms multiply by tan(0) = 0 and divide by cos(0) = 1), so its
  // [d, -b, 0, -c, a, 0] / scale is:
  std::array<double, 6> m{std::cos(rot) / s, std::sin(rot) / s, 0.0, -std::sin(rot) / s, std::cos(rot) / s, 0.0};
  m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty);
  m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty);
  m[2] += cx;
  m[5] += cy;
  return m;
}

std::vector<AffineParams> draw_affine_params(int64_t batch, int64_t width, int64_t height,
                                             const AffineRanges& ranges, at::Generator& generator) {
  if (generator.device().type() != c10::DeviceType::CPU)
    throw InputError("draw_affine_params: the generator must be a CPU generator");
  const auto u = at::rand({batch, 4}, generator, torch::TensorOptions().dtype(torch::kDouble));
  const auto a = u.accessor<double, 2>();
  const auto uniform = [](double lo, double hi, double v) { return lo + (hi - lo) * v; };
  const double max_dx = ranges.translate_x * static_cast<double>(width);
  const double max_dy = ranges.translate_y * static_cast<double>(height);
  std::vector<AffineParams> params(static_cast<size_t>(batch));
  for (int64_t b = 0; b < batch; ++b) {
    auto& p = params[static_cast<size_t>(b)];
    p.angle_deg = uniform(-ranges.degrees, ranges.degrees, a[b][0]);
    // np.round: halves to even, as nearbyint in the default rounding mode.
    p.translate_x = std::nearbyint(uniform(-max_dx, max_dx, a[b][1]));
    p.translate_y = std::nearbyint(uniform(-max_dy, max_dy, a[b][2]));
    p.scale = uniform(ranges.scale_min, ranges.scale_max, a[b][3]);
  }
  return params;
}

torch::Tensor affine_nearest(const torch::Tensor& images, const std::vector<AffineParams>& params,
                             AffineCenter center) {
  check_image_batch(images, "affine_nearest");
  const int64_t B = images.size(0), C = images.size(1), H = images.size(2), W = images.size(3);
  if (static_cast<int64_t>(params.size()) != B) {
    std::ostringstream message;
    message << "affine_nearest: " << params.size() << " parameter sets for " << B << " images";
    throw InputError(message.str());
  }
  std::vector<std::array<double, 6>> matrices;
  matrices.reserve(params.size());
  for (const auto& p : params) matrices.push_back(inverse_affine_matrix(p, W, H, center));
  const auto maps = source_maps(matrices, W, H, images.device());
  const auto inside = (maps.x >= 0) & (maps.x < W) & (maps.y >= 0) & (maps.y < H);
  const auto flat = (maps.y * W + maps.x).masked_fill(~inside, 0).view({B, 1, H * W}).expand({B, C, H * W});
  const auto warped = images.reshape({B, C, H * W}).gather(2, flat).view({B, C, H, W});
  return warped.masked_fill(~inside.unsqueeze(1), 0);
}

torch::Tensor random_affine(const torch::Tensor& images, at::Generator& generator, const AffineRanges& ranges) {
  check_image_batch(images, "random_affine");
  const auto params = draw_affine_params(images.size(0), images.size(3), images.size(2), ranges, generator);
  return affine_nearest(images, params, AffineCenter::torchvision_0_7);
}

}  // namespace plifkit::nn
