// The image datasets: IDX files (plain and .gz) and CIFAR-10 batches (binary
// and pickled) written here by hand from the formats' descriptions, read in
// every accepted layout, converted to the `images` frames layout and read
// back; the committed pickles made by real Python; one line per bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "plifkit/core/error.hpp"
#include "plifkit/frames/convert.hpp"
#include "plifkit/frames/frames_reader.hpp"
#include "plifkit/images/cifar_pickle.hpp"
#include "plifkit/images/cifar_pickle_writer.hpp"
#include "plifkit/images/cifar_reader.hpp"
#include "plifkit/images/gzip_file.hpp"
#include "plifkit/images/idx_reader.hpp"
#include "plifkit/images/image_datasets.hpp"
#include "plifkit/images/synth_images.hpp"
#include "support/event_files.hpp"

namespace plifkit {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

// Pixel of image i at byte j (within one image), per split.
std::uint8_t pixel(int split, std::size_t i, std::size_t j) {
  return static_cast<std::uint8_t>((i * 37 + j * 11 + static_cast<std::size_t>(split) * 101) % 256);
}
std::uint8_t label(int split, std::size_t i) { return static_cast<std::uint8_t>((i * 7 + static_cast<std::size_t>(split)) % 10); }

void be32(Bytes& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(v >> s));
}

Bytes idx_images(int split, std::size_t n, int side = 28) {
  Bytes out;
  be32(out, 0x803);
  be32(out, static_cast<std::uint32_t>(n));
  be32(out, static_cast<std::uint32_t>(side));
  be32(out, static_cast<std::uint32_t>(side));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < static_cast<std::size_t>(side * side); ++j) out.push_back(pixel(split, i, j));
  return out;
}

Bytes idx_labels(int split, std::size_t n) {
  Bytes out;
  be32(out, 0x801);
  be32(out, static_cast<std::uint32_t>(n));
  for (std::size_t i = 0; i < n; ++i) out.push_back(label(split, i));
  return out;
}

Bytes read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

// The message of the error fn throws, or "" when it throws none.
template <typename E, typename Fn>
std::string message_of(Fn&& fn) {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  }
  return "";
}

class Images : public testing::Test {
 protected:
  void SetUp() override {
    root_ = testing::TempDir() + "plifkit_images_" + std::to_string(::getpid());
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // The four IDX files (n_train 150: three chunks, the last partial) in dir.
  void write_mnist(const std::string& dir, bool gz, std::size_t n_train = 150, std::size_t n_test = 7) {
    fs::create_directories(dir);
    auto put = [&](const std::string& name, const Bytes& b) {
      test::write_bytes(dir + "/" + name + (gz ? ".gz" : ""), gz ? gzip_bytes(b.data(), b.size()) : b);
    };
    put("train-images-idx3-ubyte", idx_images(0, n_train));
    put("train-labels-idx1-ubyte", idx_labels(0, n_train));
    put("t10k-images-idx3-ubyte", idx_images(1, n_test));
    put("t10k-labels-idx1-ubyte", idx_labels(1, n_test));
  }

  frames::ConvertSummary convert(Dataset d, const std::string& dir, const std::string& out, int jobs = 2) {
    frames::ConvertOptions o;
    o.dataset = d;
    o.source_dir = dir;
    o.output = out;
    o.jobs = jobs;
    return frames::convert(o);
  }

  // Every image and label of the file equals the formula's.
  void expect_formula(const std::string& file, std::size_t n_train, std::size_t n_test) {
    const frames::FramesReader r(file);
    ASSERT_TRUE(r.holds_images());
    EXPECT_EQ(r.header().channels, 1);
    EXPECT_EQ(r.header().T, 0);
    ASSERT_EQ(r.sample_elements(), 784u);
    const std::size_t n[2] = {n_train, n_test};
    for (int s = 0; s < 2; ++s) {
      const std::string split = s == 0 ? "train" : "test";
      const frames::SplitMeta& m = r.meta(split);
      ASSERT_EQ(m.size(), n[s]);
      Bytes all(n[s] * 784);
      r.read_images(split, 0, n[s], all.data());
      for (std::size_t i = 0; i < n[s]; ++i) {
        EXPECT_EQ(m.labels[i], label(s, i));
        EXPECT_EQ(m.segment[i], i);
        EXPECT_EQ(m.source[i], s == 0 ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte");
        for (std::size_t j = 0; j < 784; ++j)
          if (all[i * 784 + j] != pixel(s, i, j)) FAIL() << split << " image " << i << " byte " << j;
      }
      EXPECT_TRUE(m.t_start.empty() && m.event_count.empty());
    }
    // A range across a chunk boundary (64 images per chunk), read alone.
    Bytes some(10 * 784);
    r.read_images("train", 60, 10, some.data());
    for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(some[i * 784 + 5], pixel(0, 60 + i, 5));
  }

  std::string root_;
};

TEST_F(Images, MnistFromEveryLayoutPlainAndGzip) {
  const std::pair<std::string, std::string> layouts[] = {{"/a", "/a"},
                                                         {"/b", "/b/MNIST/raw"},
                                                         {"/c", "/c/raw"}};
  for (bool gz : {false, true})
    for (const auto& [given, holds] : layouts) {
      const std::string dir = root_ + (gz ? "/gz" : "/plain") + given;
      write_mnist(root_ + (gz ? "/gz" : "/plain") + holds, gz);
      const std::string out = dir + ".h5";
      const frames::ConvertSummary s = convert(Dataset::MNIST, dir, out);
      EXPECT_EQ(s.train.samples, 150u);
      EXPECT_EQ(s.test.samples, 7u);
      EXPECT_EQ(s.train.per_class[label(0, 0)], 15u);
      SCOPED_TRACE(dir);
      expect_formula(out, 150, 7);
      EXPECT_TRUE(convert(Dataset::MNIST, dir, out).up_to_date);
    }
}

TEST_F(Images, PlainFilesArePreferredToGzip) {
  write_mnist(root_ + "/m", false);
  // .gz copies holding other images (one fewer each) must not be read.
  const Bytes other = idx_images(0, 149), other_labels = idx_labels(0, 149);
  test::write_bytes(root_ + "/m/train-images-idx3-ubyte.gz", gzip_bytes(other.data(), other.size()));
  test::write_bytes(root_ + "/m/train-labels-idx1-ubyte.gz", gzip_bytes(other_labels.data(), other_labels.size()));
  const ImageListing l = list_image_dataset(Dataset::MNIST, root_ + "/m");
  EXPECT_EQ(l.inputs[0].path, root_ + "/m/train-images-idx3-ubyte");
  convert(Dataset::MNIST, root_ + "/m", root_ + "/m.h5");
  expect_formula(root_ + "/m.h5", 150, 7);
}

TEST_F(Images, FashionMnistHasTorchvisionClassNames) {
  write_mnist(root_ + "/f/FashionMNIST/raw", true, 20, 3);
  convert(Dataset::FashionMNIST, root_ + "/f", root_ + "/f.h5");
  const frames::FramesReader r(root_ + "/f.h5");
  EXPECT_EQ(r.header().dataset, Dataset::FashionMNIST);
  EXPECT_EQ(r.header().class_names.front(), "T-shirt/top");
  EXPECT_EQ(r.header().class_names.back(), "Ankle boot");
  // The MNIST layout is not FashionMNIST's.
  write_mnist(root_ + "/g/MNIST/raw", false, 20, 3);
  EXPECT_NE(message_of<InputError>([&] { convert(Dataset::FashionMNIST, root_ + "/g", root_ + "/g.h5"); })
                .find("no FashionMNIST files in '" + root_ + "/g'"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(root_ + "/g.h5"));
}

TEST_F(Images, ThreadsDoNotChangeTheBytes) {
  write_mnist(root_ + "/m", false, 300, 70);
  convert(Dataset::MNIST, root_ + "/m", root_ + "/one.h5", 1);
  convert(Dataset::MNIST, root_ + "/m", root_ + "/four.h5", 4);
  EXPECT_EQ(read_bytes(root_ + "/one.h5"), read_bytes(root_ + "/four.h5"));
}

// Both CIFAR-10 versions, as dvs-synth writes them, give the same file, and
// its images are the binary records' bytes.
TEST_F(Images, CifarBinaryAndPickledGiveTheSameFile) {
  ImageSynthOptions o;
  o.samples_per_class = 7;  // 70 train images: 14 per batch
  o.test_per_class = 2;
  synthesize_image_dataset(Dataset::CIFAR10, root_ + "/c", o);
  convert(Dataset::CIFAR10, root_ + "/c/cifar-10-batches-bin", root_ + "/bin.h5");
  convert(Dataset::CIFAR10, root_ + "/c/cifar-10-batches-py", root_ + "/py.h5", 3);
  convert(Dataset::CIFAR10, root_ + "/c", root_ + "/root.h5");  // prefers the binary version
  const frames::FramesReader bin(root_ + "/bin.h5"), py(root_ + "/py.h5"), top(root_ + "/root.h5");
  EXPECT_EQ(bin.header().class_names, py.header().class_names);
  EXPECT_EQ(bin.header().channels, 3);
  for (const char* split : {"train", "test"}) {
    const std::size_t n = bin.meta(split).size();
    ASSERT_EQ(n, py.meta(split).size());
    EXPECT_EQ(bin.meta(split).labels, py.meta(split).labels);
    EXPECT_EQ(bin.meta(split).source, py.meta(split).source);
    EXPECT_EQ(bin.meta(split).segment, py.meta(split).segment);
    EXPECT_EQ(bin.meta(split).labels, top.meta(split).labels);
    Bytes a(n * 3072), b(n * 3072);
    bin.read_images(split, 0, n, a.data());
    py.read_images(split, 0, n, b.data());
    EXPECT_EQ(a, b);
  }
  // Train image 14 is data_batch_2's record 0: label byte, then R, G, B planes.
  const Bytes rec = read_bytes(root_ + "/c/cifar-10-batches-bin/data_batch_2.bin");
  ASSERT_EQ(rec.size(), 14u * 3073);
  const frames::SplitMeta& m = bin.meta("train");
  EXPECT_EQ(m.source[14], "data_batch_2");
  EXPECT_EQ(m.segment[14], 0u);
  EXPECT_EQ(m.source.front(), "data_batch_1");
  EXPECT_EQ(bin.meta("test").source.front(), "test_batch");
  EXPECT_EQ(m.labels[14], rec[0]);
  Bytes image(3072);
  bin.read_images("train", 14, 1, image.data());
  EXPECT_EQ(image, Bytes(rec.begin() + 1, rec.begin() + 3073));
}

TEST_F(Images, SynthIsLearnableAndDeterministic) {
  ImageSynthOptions o;
  synthesize_image_dataset(Dataset::MNIST, root_ + "/a", o);
  synthesize_image_dataset(Dataset::MNIST, root_ + "/b", o);
  o.seed = 7;
  synthesize_image_dataset(Dataset::MNIST, root_ + "/c", o);
  const std::string f = "/MNIST/raw/train-images-idx3-ubyte";
  EXPECT_EQ(read_bytes(root_ + "/a" + f), read_bytes(root_ + "/b" + f));
  EXPECT_EQ(read_bytes(root_ + "/a" + f + ".gz"), read_bytes(root_ + "/b" + f + ".gz"));
  EXPECT_NE(read_bytes(root_ + "/a" + f), read_bytes(root_ + "/c" + f));
  // Nearest class mean on the train images classifies the test images.
  const ImageBatch train = read_idx_pair(root_ + "/a" + f, root_ + "/a/MNIST/raw/train-labels-idx1-ubyte");
  const ImageBatch test = read_idx_pair(root_ + "/a/MNIST/raw/t10k-images-idx3-ubyte.gz",
                                        root_ + "/a/MNIST/raw/t10k-labels-idx1-ubyte.gz");
  std::vector<double> mean(10 * 784, 0.0);
  for (std::size_t i = 0; i < train.count; ++i)
    for (std::size_t j = 0; j < 784; ++j) mean[train.labels[i] * 784 + j] += train.pixels[i * 784 + j] / 16.0;
  std::size_t right = 0;
  for (std::size_t i = 0; i < test.count; ++i) {
    std::size_t best = 0;
    double best_d = 1e300;
    for (std::size_t c = 0; c < 10; ++c) {
      double d = 0;
      for (std::size_t j = 0; j < 784; ++j) {
        const double e = test.pixels[i * 784 + j] - mean[c * 784 + j];
        d += e * e;
      }
      if (d < best_d) best_d = d, best = c;
    }
    right += best == test.labels[i];
  }
  EXPECT_GE(right, test.count * 9 / 10);
}

// --- the committed pickles, made by Python 2's cPickle and Python 3 ---------

void expect_fixture(const ImageBatch& b) {
  ASSERT_EQ(b.count, 3u);
  EXPECT_EQ(b.labels, (Bytes{3, 9, 0}));
  ASSERT_EQ(b.pixels.size(), 3u * 3072);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3072; ++j)
      if (b.pixels[i * 3072 + j] != (i * 37 + j * 11) % 256) FAIL() << "image " << i << " byte " << j;
}

TEST(CifarPickle, ReadsWhatPython2AndPython3Wrote) {
  expect_fixture(read_cifar_batch(PLIFKIT_TEST_DATA_DIR "/cifar_pickle/py2_batch", true));
  expect_fixture(read_cifar_batch(PLIFKIT_TEST_DATA_DIR "/cifar_pickle/py3_batch", true));
}

TEST(CifarPickle, WriterRoundTrips) {
  ImageBatch b;
  b.count = 1200;  // labels in two APPENDS, memo indices past 255
  b.channels = 3;
  b.height = b.width = 32;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < b.count; ++i) {
    b.labels.push_back(static_cast<std::uint8_t>(i % 10));
    names.push_back("x_" + std::to_string(i) + ".png");
  }
  b.pixels.resize(b.count * 3072);
  for (std::size_t i = 0; i < b.pixels.size(); ++i) b.pixels[i] = static_cast<std::uint8_t>(i * 13);
  const Bytes p = cifar_pickle_bytes(b, "batch", names);
  const ImageBatch r = parse_cifar_pickle(p.data(), p.size(), "p");
  EXPECT_EQ(r.labels, b.labels);
  EXPECT_EQ(r.pixels, b.pixels);
}

// Each refusal, naming the file; the bytes of the Python 2 fixture edited.
TEST(CifarPickle, RefusesOtherStructures) {
  const Bytes good = read_bytes(PLIFKIT_TEST_DATA_DIR "/cifar_pickle/py2_batch");
  auto refusal = [](Bytes b) {
    return message_of<FormatError>([&] { parse_cifar_pickle(b.data(), b.size(), "batch"); });
  };
  auto edited = [&](const std::string& from, const std::string& to) {
    Bytes b = good;
    const std::string text(b.begin(), b.end());
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    std::copy(to.begin(), to.end(), b.begin() + static_cast<std::ptrdiff_t>(at));
    return b;
  };
  EXPECT_EQ(refusal(good), "");
  EXPECT_NE(refusal(Bytes(good.begin(), good.end() - 1)).find("cannot decode 'batch' at byte 9508: truncated"),
            std::string::npos);
  EXPECT_NE(refusal(Bytes(good.begin(), good.begin() + 5000)).find("ends inside opcode 'T'"), std::string::npos);
  EXPECT_NE(refusal(edited("labels", "lAbels")).find("the dict has a key 'lAbels'"), std::string::npos);
  EXPECT_NE(refusal(edited("numpy\ndtype", "numpy\ndtypf")).find("GLOBAL 'numpy.dtypf'"), std::string::npos);
  EXPECT_NE(refusal(edited("u1", "u2")).find("must be uint8"), std::string::npos);
  EXPECT_NE(refusal(edited("K\x03K\x09K\x00", "K\x03K\x0aK\x00")).find("label 10 outside 0..9"), std::string::npos);
  EXPECT_NE(refusal(edited("\x80\x02", "\x80\x03")).find("protocol 3, expected 2"), std::string::npos);
  Bytes extra = good;
  extra.push_back('.');
  EXPECT_NE(refusal(extra).find("1 bytes after the pickle's STOP"), std::string::npos);
  // A pickle of a list, not a dict: ]K\x01a.
  EXPECT_NE(refusal(Bytes{0x80, 2, ']', 'K', 1, 'a', '.'}).find("holds a list, expected a dict"), std::string::npos);
  EXPECT_NE(refusal(Bytes{0x80, 2, 'c', 'o', 's', '\n', 's', 'y', 's', 't', 'e', 'm', '\n', '.'})
                .find("GLOBAL 'os.system' is none of"),
            std::string::npos);
  // Cycles through the memo are harmless: a list appended to itself.
  EXPECT_NE(refusal(Bytes{0x80, 2, ']', 'q', 0, 'h', 0, 'a', '.'}).find("holds a list"), std::string::npos);
}

// --- refusals of bad IDX and binary CIFAR files ------------------------------

TEST_F(Images, RefusesBadIdxFiles) {
  const std::string d = root_ + "/m";
  auto refusal = [&]() -> std::string {
    try {
      read_image_input(Dataset::MNIST, list_image_dataset(Dataset::MNIST, d), list_image_dataset(Dataset::MNIST, d).inputs[0]);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  const std::string images = d + "/train-images-idx3-ubyte", labels = d + "/train-labels-idx1-ubyte";
  write_mnist(d, false, 20, 3);
  EXPECT_EQ(refusal(), "");
  Bytes b = idx_images(0, 20);
  b[3] = 0x01;
  test::write_bytes(images, b);
  EXPECT_EQ(refusal(), "cannot decode '" + images +
                           "' at byte 0: magic number 0x00000801, expected 0x00000803 (IDX images of "
                           "unsigned bytes, 3 dimensions)");
  test::write_bytes(images, idx_images(0, 21));
  EXPECT_EQ(refusal(), "'" + labels + "' holds 20 labels, but '" + images + "' holds 21 images");
  b = idx_images(0, 20);
  b.resize(b.size() - 1);
  test::write_bytes(images, b);
  EXPECT_NE(refusal().find("cannot decode '" + images + "' at byte 15695: truncated: 20 images of 28x28 need 15696 bytes"),
            std::string::npos);
  test::write_bytes(images, idx_images(0, 20, 32));
  EXPECT_EQ(refusal(), "'" + images + "' holds images of 1x32x32, MNIST's are 1x28x28");
  test::write_bytes(images, idx_images(0, 20));
  b = idx_labels(0, 20);
  b[8 + 4] = 10;
  test::write_bytes(labels, b);
  EXPECT_EQ(refusal(), "cannot decode '" + labels + "' at byte 12: label 10 outside 0..9");
  // A .gz cut short.
  fs::remove(labels);
  b = idx_labels(0, 20);
  Bytes gz = gzip_bytes(b.data(), b.size());
  gz.resize(gz.size() - 6);
  test::write_bytes(labels + ".gz", gz);
  EXPECT_NE(refusal().find("cannot decode '" + labels + ".gz' at byte"), std::string::npos);
  EXPECT_NE(refusal().find("truncated gzip stream"), std::string::npos);
  test::write_bytes(labels + ".gz", b);
  EXPECT_NE(refusal().find("not a gzip file"), std::string::npos);
  fs::remove(labels + ".gz");
  EXPECT_EQ(refusal(), "'" + labels + "' (or .gz) does not exist");
}

TEST_F(Images, RefusesBadCifarBatches) {
  ImageSynthOptions o;
  o.samples_per_class = 1;
  o.test_per_class = 1;
  synthesize_image_dataset(Dataset::CIFAR10, root_ + "/c", o);
  const std::string bin = root_ + "/c/cifar-10-batches-bin/data_batch_1.bin";
  Bytes b = read_bytes(bin);
  b[3073] = 10;  // the second record's label
  test::write_bytes(root_ + "/x.bin", b);
  EXPECT_EQ(message_of<FormatError>([&] { read_cifar_batch(root_ + "/x.bin", false); }),
            "cannot decode '" + root_ + "/x.bin' at byte 3073: label 10 outside 0..9");
  b = read_bytes(bin);
  b.resize(b.size() - 1);
  test::write_bytes(root_ + "/x.bin", b);
  EXPECT_EQ(message_of<FormatError>([&] { read_cifar_batch(root_ + "/x.bin", false); }),
            "cannot decode '" + root_ + "/x.bin' at byte 3073: truncated: the last record has 3072 of its 3073 bytes");
  fs::remove(root_ + "/c/cifar-10-batches-bin/test_batch.bin");
  EXPECT_EQ(message_of<InputError>([&] { list_image_dataset(Dataset::CIFAR10, root_ + "/c"); }),
            "CIFAR-10 batch '" + root_ + "/c/cifar-10-batches-bin/test_batch.bin' does not exist");
  EXPECT_NE(message_of<InputError>([&] { list_image_dataset(Dataset::CIFAR10, root_); }).find("no CIFAR10 files in"),
            std::string::npos);
}

TEST_F(Images, EventReadsOfAnImagesFileAreRefused) {
  write_mnist(root_ + "/m", false, 20, 3);
  convert(Dataset::MNIST, root_ + "/m", root_ + "/m.h5");
  const frames::FramesReader r(root_ + "/m.h5");
  std::vector<float> f(784);
  EXPECT_THROW(r.read_float("train", 0, 1, f.data()), UsageError);
  Bytes one(784);
  EXPECT_THROW(r.read_images("train", 20, 1, one.data()), UsageError);
  EXPECT_FALSE(r.stores_counts());
}

}  // namespace
}  // namespace plifkit
