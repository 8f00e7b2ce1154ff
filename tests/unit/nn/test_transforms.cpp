// The reference's image transforms (lib/plifkit/nn/transforms): hand-worked
// cases of each warp, Pillow's nearest AFFINE as a naive per-pixel loop (the
// specification the batched version is checked against), the documented
// order and distribution of the draws, batched against one image at a time,
// other dtypes against uint8, and the normalisation.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <tuple>
#include <utility>

#include "plifkit/core/error.hpp"
#include "plifkit/nn/transforms/affine.hpp"
#include "plifkit/nn/transforms/crop.hpp"
#include "plifkit/nn/transforms/flip.hpp"
#include "plifkit/nn/transforms/image_transforms.hpp"
#include "plifkit/nn/transforms/normalize.hpp"
#include "unit/nn/cuda_test_support.hpp"

namespace plifkit::nn {
namespace {

at::Generator seeded(uint64_t seed) { return at::make_generator<at::CPUGeneratorImpl>(seed); }

// A 5 x 5 one-channel image whose pixel (i, j) is 10 (i + 1) + j + 1: every
// value distinct and none 0, so a filled pixel shows.
torch::Tensor five_by_five() {
  return (torch::arange(1, 6).view({5, 1}) * 10 + torch::arange(1, 6).view({1, 5}))
      .to(torch::kByte)
      .view({1, 1, 5, 5});
}
int64_t px(int64_t i, int64_t j) { return 10 * (i + 1) + j + 1; }

// The expected image from a map of output pixel -> source pixel (-1: fill 0).
torch::Tensor from_sources(const std::function<std::pair<int64_t, int64_t>(int64_t, int64_t)>& source) {
  auto out = torch::zeros({1, 1, 5, 5}, torch::kByte);
  for (int64_t y = 0; y < 5; ++y)
    for (int64_t x = 0; x < 5; ++x) {
      const auto [i, j] = source(y, x);
      if (i >= 0 && i < 5 && j >= 0 && j < 5) out[0][0][y][x] = px(i, j);
    }
  return out;
}

torch::Tensor random_bytes(std::vector<int64_t> shape, uint64_t seed) {
  auto g = seeded(seed);
  return at::randint(0, 256, shape, g, torch::TensorOptions().dtype(torch::kByte));
}

// ---- affine: hand-worked cases -------------------------------------------

// 90 degrees clockwise about the torchvision >= 0.8 centre (2.5, 2.5): the
// inverse matrix is [~0, 1, 0; -1, ~0, 5], so output (x, y) reads
// (floor(y + 0.5), floor(5 - x - 0.5)) = column y, row 4 - x: an exact
// clockwise quarter turn (the top-left corner comes from the bottom-left).
TEST(TransformsAffine, QuarterTurnAboutTheNewCentreIsAPermutation) {
  const auto out = affine_nearest(five_by_five(), {{90.0, 0, 0, 1.0}}, AffineCenter::torchvision_0_8);
  const auto expected = from_sources([](int64_t y, int64_t x) { return std::pair{4 - x, y}; });
  EXPECT_TRUE(torch::equal(out, expected)) << out;
}

// The reference's centre (W/2 + 0.5, H/2 + 0.5) = (3, 3): the inverse matrix
// is [~0, 1, 0; -1, ~0, 6], output (x, y) reads row floor(6 - x - 0.5) = 5 - x,
// so the first column reads row 5 (outside: 0) and the rest is shifted one
// pixel: the "incoherence" torchvision 0.8 removed.
TEST(TransformsAffine, QuarterTurnAboutTheReferenceCentreLosesAColumn) {
  const auto out = affine_nearest(five_by_five(), {{90.0, 0, 0, 1.0}});
  const auto expected = from_sources([](int64_t y, int64_t x) { return std::pair{5 - x, y}; });
  EXPECT_TRUE(torch::equal(out, expected)) << out;
  EXPECT_EQ(out.select(3, 0).sum().item<int64_t>(), 0);
}

// tx = 1 (content moves right), ty = -2 (content moves up): output (x, y)
// reads (x - 1, y + 2); angle 0, so Pillow's scaling path.
TEST(TransformsAffine, PureTranslationMovesContentByWholePixels) {
  const auto out = affine_nearest(five_by_five(), {{0.0, 1, -2, 1.0}});
  const auto expected = from_sources([](int64_t y, int64_t x) { return std::pair{y + 2, x - 1}; });
  EXPECT_TRUE(torch::equal(out, expected)) << out;
}

// Scale 2 about (3, 3): the inverse maps u = 0.5 x' + 1.5 at pixel centres
// x' = x + 0.5, i.e. 1.75, 2.25, 2.75, 3.25, 3.75 -> source 1, 2, 2, 3, 3 in
// both directions.
TEST(TransformsAffine, ScaleTwoAboutTheCentreRepeatsTheMiddlePixels) {
  const auto out = affine_nearest(five_by_five(), {{0.0, 0, 0, 2.0}});
  const int64_t src[5] = {1, 2, 2, 3, 3};
  const auto expected = from_sources([&](int64_t y, int64_t x) { return std::pair{src[y], src[x]}; });
  EXPECT_TRUE(torch::equal(out, expected)) << out;
}

// Pillow's two paths differ on a knife edge. 28 wide, scale 0.96, tx -2,
// centre 14.5: column 0's source is u = (0.5 - 14.5 + 2) / 0.96 + 14.5 = 2
// exactly. At angle exactly 0 Pillow accumulates doubles, m2 + 0.5 m0 =
// 1.99999999999999978, truncated to column 1; at any other angle its 16.16
// fixed point rounds to 2.0, column 2. The image holds column + 1.
TEST(TransformsAffine, AngleZeroTakesPillowsDoublePathOnAKnifeEdge) {
  const auto image = torch::arange(1, 29).to(torch::kByte).view({1, 1, 1, 28}).expand({1, 1, 28, 28});
  const auto at_zero = affine_nearest(image, {{0.0, -2, 0, 0.96}});
  const auto just_off = affine_nearest(image, {{1e-9, -2, 0, 0.96}});
  EXPECT_EQ(at_zero[0][0][14][0].item<int64_t>(), 2);
  EXPECT_EQ(just_off[0][0][14][0].item<int64_t>(), 3);
}

// The matrix against torchvision's formula worked by hand for one case:
// angle 90, tx 1, ty 2, scale 2, centre (3, 3): [cos, sin; -sin, cos] / 2 =
// [0, 0.5; -0.5, 0]; m2 = 0 * (-4) + 0.5 * (-5) + 3 = 0.5; m5 = -0.5 * (-4) +
// 0 * (-5) + 3 = 5.
TEST(TransformsAffine, InverseMatrixFollowsTorchvision) {
  const auto m = inverse_affine_matrix({90.0, 1, 2, 2.0}, 5, 5, AffineCenter::torchvision_0_7);
  const double expected[6] = {0.0, 0.5, 0.5, -0.5, 0.0, 5.0};
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(m[i], expected[i], 1e-15) << i;
  EXPECT_THROW(inverse_affine_matrix({0.0, 0, 0, 0.0}, 5, 5, AffineCenter::torchvision_0_7), InputError);
}

// ---- affine: against Pillow's loops ---------------------------------------

// Pillow's affine_fixed (Geometry.c), one pixel at a time with its integer
// accumulation; and ImagingScaleAffine's double accumulation when the matrix
// has no rotation part.
torch::Tensor pillow_affine(const torch::Tensor& image, const std::array<double, 6>& a) {
  const int64_t C = image.size(0), H = image.size(1), W = image.size(2);
  auto out = torch::zeros_like(image);
  const auto in = image.accessor<uint8_t, 3>();
  auto o = out.accessor<uint8_t, 3>();
  const auto fix = [](double v) { return static_cast<int64_t>(std::floor(v * 65536.0 + 0.5)); };
  const auto coord = [](double v) { return v < 0.0 ? int64_t{-1} : static_cast<int64_t>(v); };
  const auto put = [&](int64_t y, int64_t x, int64_t yin, int64_t xin) {
    if (xin >= 0 && xin < W && yin >= 0 && yin < H)
      for (int64_t c = 0; c < C; ++c) o[c][y][x] = in[c][yin][xin];
  };
  if (a[1] == 0 && a[3] == 0) {
    double yo = a[5] + a[4] * 0.5;
    for (int64_t y = 0; y < H; ++y, yo += a[4]) {
      double xo = a[2] + a[0] * 0.5;
      for (int64_t x = 0; x < W; ++x, xo += a[0]) put(y, x, coord(yo), coord(xo));
    }
    return out;
  }
  const int64_t a0 = fix(a[0]), a1 = fix(a[1]), a3 = fix(a[3]), a4 = fix(a[4]);
  int64_t a2 = fix(a[2] + a[0] * 0.5 + a[1] * 0.5), a5 = fix(a[5] + a[3] * 0.5 + a[4] * 0.5);
  for (int64_t y = 0; y < H; ++y, a2 += a1, a5 += a4) {
    int64_t xx = a2, yy = a5;
    for (int64_t x = 0; x < W; ++x, xx += a0, yy += a3) put(y, x, yy >> 16, xx >> 16);
  }
  return out;
}

TEST(TransformsAffine, BatchedWarpIsPillowsLoopOnDrawnParameters) {
  const auto images = random_bytes({64, 1, 28, 28}, 11);
  auto g = seeded(2020);
  auto params = draw_affine_params(64, 28, 28, kMnistAffine, g);
  params[5].angle_deg = 0;  // Pillow's scaling path too
  params[6] = {0.0, -3, 4, 1.07};
  const auto out = affine_nearest(images, params);
  for (int64_t b = 0; b < 64; ++b) {
    const auto m = inverse_affine_matrix(params[static_cast<size_t>(b)], 28, 28, AffineCenter::torchvision_0_7);
    ASSERT_TRUE(torch::equal(out[b], pillow_affine(images[b], m))) << "image " << b;
  }
}

TEST(TransformsAffine, BatchedEqualsOneImageAtATimeAndAnyDtype) {
  const auto images = random_bytes({8, 3, 28, 28}, 12);
  auto g = seeded(7);
  const auto params = draw_affine_params(8, 28, 28, kMnistAffine, g);
  const auto batched = affine_nearest(images, params);
  for (int64_t b = 0; b < 8; ++b)
    EXPECT_TRUE(torch::equal(batched.slice(0, b, b + 1),
                             affine_nearest(images.slice(0, b, b + 1), {params[static_cast<size_t>(b)]})));
  EXPECT_TRUE(torch::equal(affine_nearest(images.to(torch::kFloat), params), batched.to(torch::kFloat)));
  // Three channels share each image's warp.
  EXPECT_TRUE(torch::equal(batched.select(1, 2), affine_nearest(images.slice(1, 2, 3), params).select(1, 0)));
}

TEST(TransformsAffine, RejectsBadInput) {
  EXPECT_THROW(affine_nearest(torch::zeros({1, 5, 5}, torch::kByte), {{}}), InputError);
  EXPECT_THROW(affine_nearest(five_by_five(), {}), InputError);
  auto g = seeded(1);
  EXPECT_THROW(random_affine(torch::zeros({0, 1, 5, 5}, torch::kByte), g), InputError);
}

// ---- draws ------------------------------------------------------------------

// The documented order: one at::rand [B, 4] double, row b = (angle, tx, ty,
// scale) uniforms, mapped as random.uniform and rounded half to even.
TEST(TransformsDraws, AffineDrawsFollowTheDocumentedOrder) {
  auto g = seeded(99);
  const auto params = draw_affine_params(32, 28, 28, kMnistAffine, g);
  auto again = seeded(99);
  const auto u = at::rand({32, 4}, again, torch::TensorOptions().dtype(torch::kDouble));
  const double max_d = 0.15 * 28;
  for (int64_t b = 0; b < 32; ++b) {
    const auto& p = params[static_cast<size_t>(b)];
    EXPECT_EQ(p.angle_deg, -30.0 + 60.0 * u[b][0].item<double>());
    EXPECT_EQ(p.translate_x, std::nearbyint(-max_d + 2 * max_d * u[b][1].item<double>()));
    EXPECT_EQ(p.translate_y, std::nearbyint(-max_d + 2 * max_d * u[b][2].item<double>()));
    EXPECT_EQ(p.scale, 0.85 + (1.11 - 0.85) * u[b][3].item<double>());
  }
  // The generator moved on by exactly those draws.
  EXPECT_TRUE(torch::equal(at::rand({3}, g), at::rand({3}, again)));
}

TEST(TransformsDraws, AffineDrawsHaveTheReferenceDistribution) {
  auto g = seeded(5);
  const int64_t n = 60000;
  const auto params = draw_affine_params(n, 28, 28, kMnistAffine, g);
  std::map<double, int64_t> tx_counts;
  double angle_sum = 0, angle_min = 1e9, angle_max = -1e9, scale_min = 1e9, scale_max = -1e9;
  for (const auto& p : params) {
    angle_sum += p.angle_deg;
    angle_min = std::min(angle_min, p.angle_deg);
    angle_max = std::max(angle_max, p.angle_deg);
    scale_min = std::min(scale_min, p.scale);
    scale_max = std::max(scale_max, p.scale);
    ++tx_counts[p.translate_x];
    ASSERT_EQ(p.translate_y, std::round(p.translate_y));
  }
  EXPECT_NEAR(angle_sum / n, 0.0, 0.5);
  EXPECT_GE(angle_min, -30.0);
  EXPECT_LT(angle_max, 30.0);
  EXPECT_LT(angle_min, -29.9);
  EXPECT_GT(angle_max, 29.9);
  EXPECT_GE(scale_min, 0.85);
  EXPECT_LT(scale_max, 1.11);
  // U(-4.2, 4.2) rounded: -4 .. 4; |t| = 4 from a 0.7 wide band, the others 1.
  ASSERT_EQ(tx_counts.size(), 9u);
  EXPECT_EQ(tx_counts.begin()->first, -4.0);
  EXPECT_EQ(tx_counts.rbegin()->first, 4.0);
  EXPECT_NEAR(static_cast<double>(tx_counts[4.0]) / n, 0.7 / 8.4, 0.006);
  EXPECT_NEAR(static_cast<double>(tx_counts[0.0]) / n, 1.0 / 8.4, 0.006);
}

TEST(TransformsDraws, CropAndFlipDrawsFollowTheDocumentedOrderAndDistribution) {
  auto g = seeded(3);
  const auto offsets = draw_crop_offsets(20000, 4, g);
  const auto flips = draw_flips(20000, g);
  auto again = seeded(3);
  const auto tl = at::randint(0, 9, {20000, 2}, again, torch::TensorOptions().dtype(torch::kLong));
  const auto u = at::rand({20000}, again, torch::TensorOptions().dtype(torch::kDouble));
  std::map<int64_t, int64_t> tops;
  int64_t flipped = 0;
  for (int64_t b = 0; b < 20000; ++b) {
    const auto& o = offsets[static_cast<size_t>(b)];
    ASSERT_EQ(o.top, tl[b][0].item<int64_t>());
    ASSERT_EQ(o.left, tl[b][1].item<int64_t>());
    ASSERT_EQ(flips[static_cast<size_t>(b)], u[b].item<double>() < 0.5 ? 1 : 0);
    ++tops[o.top];
    flipped += flips[static_cast<size_t>(b)];
  }
  ASSERT_EQ(tops.size(), 9u);  // 0 .. 8 inclusive
  EXPECT_EQ(tops.begin()->first, 0);
  EXPECT_EQ(tops.rbegin()->first, 8);
  for (const auto& [value, count] : tops) EXPECT_NEAR(count / 20000.0, 1.0 / 9, 0.01) << value;
  EXPECT_NEAR(flipped / 20000.0, 0.5, 0.015);
}

// ---- crop and flip -----------------------------------------------------------

// Padding 4 around 5 x 5 (13 x 13 padded): window (0, 0) keeps only the
// original's top-left pixel, at the bottom-right; (8, 8) keeps only the
// bottom-right pixel, at the top-left; (4, 4) is the image; (0, 8) keeps the
// top-right pixel at the bottom-left.
TEST(TransformsCrop, HandWorkedWindowsShowThePadding) {
  const auto image = five_by_five();
  const auto crop = [&](int64_t top, int64_t left) { return crop_padded(image, {{top, left}}, 4); };
  const auto only = [](int64_t y, int64_t x, int64_t i, int64_t j) {
    return from_sources([=](int64_t yy, int64_t xx) {
      return yy == y && xx == x ? std::pair{i, j} : std::pair{int64_t{-1}, int64_t{-1}};
    });
  };
  EXPECT_TRUE(torch::equal(crop(0, 0), only(4, 4, 0, 0))) << crop(0, 0);
  EXPECT_TRUE(torch::equal(crop(8, 8), only(0, 0, 4, 4))) << crop(8, 8);
  EXPECT_TRUE(torch::equal(crop(0, 8), only(4, 0, 0, 4))) << crop(0, 8);
  EXPECT_TRUE(torch::equal(crop(4, 4), image));
  // (3, 5): output (y, x) reads (y - 1, x + 1).
  EXPECT_TRUE(torch::equal(crop(3, 5), from_sources([](int64_t y, int64_t x) { return std::pair{y - 1, x + 1}; })));
  EXPECT_THROW(crop(9, 0), InputError);
  EXPECT_THROW(crop_padded(image, {}, 4), InputError);
}

TEST(TransformsCrop, BatchedEqualsOneImageAtATimeAndAnyDtype) {
  const auto images = random_bytes({8, 3, 32, 32}, 21);
  auto g = seeded(8);
  const auto offsets = draw_crop_offsets(8, 4, g);
  const auto batched = crop_padded(images, offsets, 4);
  for (int64_t b = 0; b < 8; ++b) {
    const auto& o = offsets[static_cast<size_t>(b)];
    const auto padded = at::constant_pad_nd(images[b], {4, 4, 4, 4}, 0);
    EXPECT_TRUE(torch::equal(batched[b], padded.slice(1, o.top, o.top + 32).slice(2, o.left, o.left + 32)));
  }
  EXPECT_TRUE(torch::equal(crop_padded(images.to(torch::kFloat), offsets, 4), batched.to(torch::kFloat)));
}

TEST(TransformsFlip, MirrorsOnlyTheChosenImages) {
  const auto image = five_by_five();
  const auto two = torch::cat({image, image});
  const auto out = horizontal_flip_where(two, {1, 0});
  EXPECT_TRUE(torch::equal(out[0][0], from_sources([](int64_t y, int64_t x) { return std::pair{y, 4 - x}; })[0][0]));
  EXPECT_TRUE(torch::equal(out[1], image[0]));
  EXPECT_TRUE(torch::equal(horizontal_flip_where(two.to(torch::kFloat), {1, 0}), out.to(torch::kFloat)));
  EXPECT_THROW(horizontal_flip_where(two, {1}), InputError);
}

// ---- normalisation and the pipelines -------------------------------------------

TEST(TransformsNormalize, IsXOver255MinusMeanOverStdInFloat32) {
  const auto images = torch::arange(0, 256).to(torch::kByte).view({1, 1, 16, 16}).repeat({2, 3, 1, 1});
  const auto& n = normalization_of(Dataset::CIFAR10);
  const auto out = to_normalized_float(images, n);
  ASSERT_EQ(out.scalar_type(), torch::kFloat);
  const auto o = out.accessor<float, 4>();
  for (int64_t c = 0; c < 3; ++c)
    for (int64_t v = 0; v < 256; ++v) {
      const float expected =
          (static_cast<float>(v) / 255.0f - static_cast<float>(n.mean[c])) / static_cast<float>(n.std[c]);
      ASSERT_EQ(o[1][c][v / 16][v % 16], expected) << c << " " << v;
      ASSERT_NEAR(o[1][c][v / 16][v % 16], (v / 255.0 - n.mean[c]) / n.std[c], 1e-5);
    }
  EXPECT_EQ(normalization_of(Dataset::MNIST).mean, std::vector<double>{0.1307});
  EXPECT_EQ(normalization_of(Dataset::FashionMNIST).std, std::vector<double>{0.3530});
  EXPECT_EQ(n.std, (std::vector<double>{0.2023, 0.1994, 0.2010}));
  EXPECT_THROW(normalization_of(Dataset::NMNIST), InputError);
  EXPECT_THROW(to_normalized_float(images.to(torch::kFloat), n), InputError);
  EXPECT_THROW(to_normalized_float(images.slice(1, 0, 1), n), InputError);
}

TEST(TransformsPipeline, TrainTransformComposesThePiecesInTheDocumentedOrder) {
  const auto mnist = random_bytes({16, 1, 28, 28}, 31);
  const auto cifar = random_bytes({16, 3, 32, 32}, 32);
  auto g = seeded(2020);
  const auto mnist_out = train_transform(Dataset::MNIST, mnist, g);
  const auto cifar_out = train_transform(Dataset::CIFAR10, cifar, g);
  const auto fashion_out = train_transform(Dataset::FashionMNIST, mnist, g);

  auto again = seeded(2020);
  const auto affine = draw_affine_params(16, 28, 28, kMnistAffine, again);
  const auto offsets = draw_crop_offsets(16, 4, again);
  const auto flips = draw_flips(16, again);
  EXPECT_TRUE(torch::equal(mnist_out, to_normalized_float(affine_nearest(mnist, affine),
                                                          normalization_of(Dataset::MNIST))));
  EXPECT_TRUE(torch::equal(cifar_out, to_normalized_float(horizontal_flip_where(crop_padded(cifar, offsets, 4), flips),
                                                          normalization_of(Dataset::CIFAR10))));
  EXPECT_TRUE(torch::equal(fashion_out, eval_transform(Dataset::FashionMNIST, mnist)));
  EXPECT_TRUE(torch::equal(at::rand({2}, g), at::rand({2}, again)));  // Fashion-MNIST drew nothing

  // Same seed, same output; another seed, another.
  auto same = seeded(2020);
  EXPECT_TRUE(torch::equal(train_transform(Dataset::MNIST, mnist, same), mnist_out));
  auto other = seeded(2021);
  EXPECT_FALSE(torch::equal(train_transform(Dataset::MNIST, mnist, other), mnist_out));
  EXPECT_FALSE(torch::equal(train_transform(Dataset::CIFAR10, cifar, other), cifar_out));
}

// A resumed run restores the generator's state and gets the next batch's
// augmentation unchanged.
TEST(TransformsPipeline, ResumesFromTheGeneratorsState) {
  const auto cifar = random_bytes({16, 3, 32, 32}, 34);
  auto g = seeded(77);
  train_transform(Dataset::CIFAR10, cifar, g);
  const auto state = g.get_state();
  const auto next = train_transform(Dataset::CIFAR10, cifar, g);
  auto resumed = seeded(1);
  resumed.set_state(state);
  EXPECT_TRUE(torch::equal(train_transform(Dataset::CIFAR10, cifar, resumed), next));
}

TEST(TransformsPipeline, EvalTransformOnlyNormalises) {
  const auto cifar = random_bytes({4, 3, 32, 32}, 33);
  EXPECT_TRUE(torch::equal(eval_transform(Dataset::CIFAR10, cifar),
                           to_normalized_float(cifar, normalization_of(Dataset::CIFAR10))));
  auto g = seeded(1);
  EXPECT_THROW(eval_transform(Dataset::MNIST, cifar), InputError);
  EXPECT_THROW(train_transform(Dataset::DVS128Gesture, cifar, g), InputError);
  EXPECT_THROW(eval_transform(Dataset::CIFAR10, cifar.to(torch::kFloat)), InputError);
}

// Not a benchmark: the cost of one batch of 16 on the CPU, for the log.
TEST(TransformsPipeline, CostOfOneBatchOnTheCpu) {
  const auto mnist = random_bytes({16, 1, 28, 28}, 41);
  const auto cifar = random_bytes({16, 3, 32, 32}, 42);
  auto g = seeded(1);
  for (const auto& [dataset, images, name] : {std::tuple{Dataset::MNIST, mnist, "MNIST"},
                                              std::tuple{Dataset::CIFAR10, cifar, "CIFAR-10"}}) {
    train_transform(dataset, images, g);  // warm-up
    const int reps = 50;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < reps; ++i) train_transform(dataset, images, g);
    const std::chrono::duration<double, std::micro> elapsed = std::chrono::steady_clock::now() - start;
    std::printf("[ cost     ] train_transform, 16 %s images, CPU: %.0f us\n", name, elapsed.count() / reps);
  }
}

// ---- CUDA ------------------------------------------------------------------------

TEST(TransformsCuda, TrainAndEvalTransformsAreBitIdenticalToTheCpu_CUDA) {
  REQUIRE_CUDA();
  const auto mnist = random_bytes({16, 1, 28, 28}, 51);
  const auto cifar = random_bytes({16, 3, 32, 32}, 52);
  for (const auto& [dataset, images] : {std::pair{Dataset::MNIST, mnist}, std::pair{Dataset::CIFAR10, cifar},
                                        std::pair{Dataset::FashionMNIST, mnist}}) {
    auto cpu_g = seeded(9);
    auto gpu_g = seeded(9);
    const auto cpu = train_transform(dataset, images, cpu_g);
    const auto gpu = train_transform(dataset, images.to(testing_cuda::kGpu), gpu_g);
    ASSERT_TRUE(gpu.is_cuda());
    EXPECT_TRUE(torch::equal(gpu.cpu(), cpu)) << name_of_choice(dataset);
    EXPECT_TRUE(torch::equal(eval_transform(dataset, images.to(testing_cuda::kGpu)).cpu(),
                             eval_transform(dataset, images)));
  }
  // The angle-0 (tabulated) path on the GPU too.
  const auto images = random_bytes({3, 1, 28, 28}, 53).to(testing_cuda::kGpu);
  const std::vector<AffineParams> params{{0.0, 2, -1, 1.05}, {12.5, 0, 0, 0.9}, {0.0, 0, 0, 2.0}};
  EXPECT_TRUE(torch::equal(affine_nearest(images, params).cpu(), affine_nearest(images.cpu(), params)));
}

}  // namespace
}  // namespace plifkit::nn
