#include "plifkit/images/synth_images.hpp"

#include <algorithm>
#include <array>

#include "plifkit/core/setting_error.hpp"
#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/folders.hpp"
#include "plifkit/core/rng.hpp"
#include "plifkit/images/cifar_pickle_writer.hpp"
#include "plifkit/images/gzip_file.hpp"
#include "plifkit/images/idx_reader.hpp"
#include "plifkit/images/image_datasets.hpp"

namespace plifkit {

namespace {

// CIFAR10's class colours (R, G, B), far enough apart to tell classes by.
constexpr std::array<std::array<int, 3>, kImageClassNum> kColours{{{230, 40, 40},
                                                                   {40, 230, 40},
                                                                   {40, 40, 230},
                                                                   {230, 230, 40},
                                                                   {230, 40, 230},
                                                                   {40, 230, 230},
                                                                   {250, 140, 20},
                                                                   {140, 60, 250},
                                                                   {240, 240, 240},
                                                                   {120, 200, 120}}};

// One image [C, H, W] of class cls: a rectangle placed on a 5 x 2 grid by
// the class (or the transposed grid, as the row says), jittered, on noise.
void draw(int cls, Rng& rng, const DatasetRow& f, std::uint8_t* out) {
  const int C = static_cast<int>(f.channels), H = static_cast<int>(f.height),
            W = static_cast<int>(f.width);
  for (int i = 0; i < C * H * W; ++i) out[i] = static_cast<std::uint8_t>(rng.below(48));
  int col = cls % 5, row = cls / 5;
  int x0 = col * W / 5, y0 = row * H / 2, w = W / 5 + 2, h = H / 2 - 2 - (cls % 3) * 2;
  if (f.synthetic_grid_transposed) {
    std::swap(col, row);
    x0 = col * W / 2;
    y0 = row * H / 5;
    std::swap(w, h);
  }
  x0 += static_cast<int>(rng.below(5)) - 2;
  y0 += static_cast<int>(rng.below(5)) - 2;
  const int brightness = 160 + static_cast<int>(rng.below(96));
  for (int c = 0; c < C; ++c) {
    const int level = C == 1 ? brightness : brightness * kColours[cls][c] / 255;
    for (int y = std::max(0, y0); y < std::min(H, y0 + h); ++y)
      for (int x = std::max(0, x0); x < std::min(W, x0 + w); ++x)
        out[(c * H + y) * W + x] = static_cast<std::uint8_t>(std::min(255, level + static_cast<int>(rng.below(24))));
  }
}

// per_class images of every class in a shuffled order.
ImageBatch make_split(Dataset dataset, int split, int per_class, std::uint64_t seed) {
  std::uint64_t state = seed ^ (static_cast<std::uint64_t>(dataset) << 56) ^
                        (static_cast<std::uint64_t>(split) << 48);
  Rng rng(splitmix64(state));
  const DatasetRow& f = row_of(dataset);
  ImageBatch b;
  b.count = static_cast<std::size_t>(per_class) * kImageClassNum;
  b.channels = static_cast<int>(f.channels);
  b.height = static_cast<int>(f.height);
  b.width = static_cast<int>(f.width);
  for (std::size_t i = 0; i < b.count; ++i) b.labels.push_back(static_cast<std::uint8_t>(i % kImageClassNum));
  for (std::size_t i = b.count; i-- > 1;) std::swap(b.labels[i], b.labels[rng.below(i + 1)]);
  b.pixels.resize(b.count * b.image_bytes());
  for (std::size_t i = 0; i < b.count; ++i) draw(b.labels[i], rng, f, b.pixels.data() + i * b.image_bytes());
  return b;
}

void put_be32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(v >> s));
}

class Files {
 public:
  void write(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    write_file_atomically(path, bytes.data(), bytes.size());
    ++summary.files;
    summary.bytes += bytes.size();
  }
  // The file and its gzip copy, as torchvision leaves both.
  void write_with_gz(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    write(path, bytes);
    write(path + ".gz", gzip_bytes(bytes.data(), bytes.size()));
  }
  ImageSynthSummary summary;
};

void write_idx(Dataset dataset, const std::string& out_dir, const ImageBatch (&splits)[2], Files& files) {
  const std::string raw = out_dir + "/" + name_of_choice(dataset) + "/raw";
  make_folder(out_dir + "/" + name_of_choice(dataset));
  make_folder(raw);
  const char* prefixes[2] = {"train", "t10k"};
  for (int s = 0; s < 2; ++s) {
    const ImageBatch& b = splits[s];
    std::vector<std::uint8_t> images, labels;
    put_be32(images, kIdxImagesMagic);
    for (std::uint32_t d : {static_cast<std::uint32_t>(b.count), static_cast<std::uint32_t>(b.height),
                            static_cast<std::uint32_t>(b.width)})
      put_be32(images, d);
    images.insert(images.end(), b.pixels.begin(), b.pixels.end());
    put_be32(labels, kIdxLabelsMagic);
    put_be32(labels, static_cast<std::uint32_t>(b.count));
    labels.insert(labels.end(), b.labels.begin(), b.labels.end());
    files.write_with_gz(raw + "/" + prefixes[s] + "-images-idx3-ubyte", images);
    files.write_with_gz(raw + "/" + prefixes[s] + "-labels-idx1-ubyte", labels);
  }
}

// Images of `all` in [first, last) as their own batch.
ImageBatch slice(const ImageBatch& all, std::size_t first, std::size_t last) {
  ImageBatch b = all;
  b.count = last - first;
  b.labels.assign(all.labels.begin() + static_cast<std::ptrdiff_t>(first),
                  all.labels.begin() + static_cast<std::ptrdiff_t>(last));
  b.pixels.assign(all.pixels.begin() + static_cast<std::ptrdiff_t>(first * all.image_bytes()),
                  all.pixels.begin() + static_cast<std::ptrdiff_t>(last * all.image_bytes()));
  return b;
}

void write_cifar(Dataset dataset, const std::string& out_dir, const ImageBatch (&splits)[2],
                 Files& files) {
  const std::string bin = out_dir + "/cifar-10-batches-bin", py = out_dir + "/cifar-10-batches-py";
  make_folder(bin);
  make_folder(py);
  const std::vector<std::string>& names = row_of(dataset).class_names;
  std::size_t serial = 0;  // for file names unique over the dataset
  auto write_batch = [&](const ImageBatch& b, const std::string& source, const std::string& label) {
    std::vector<std::uint8_t> records;
    std::vector<std::string> filenames;
    for (std::size_t i = 0; i < b.count; ++i) {
      records.push_back(b.labels[i]);
      records.insert(records.end(), b.pixels.begin() + static_cast<std::ptrdiff_t>(i * b.image_bytes()),
                     b.pixels.begin() + static_cast<std::ptrdiff_t>((i + 1) * b.image_bytes()));
      std::string number = std::to_string(++serial);
      filenames.push_back(names[b.labels[i]] + "_s_" + std::string(6 - std::min<std::size_t>(6, number.size()), '0') +
                          number + ".png");
    }
    files.write(bin + "/" + source + ".bin", records);
    files.write(py + "/" + source, cifar_pickle_bytes(b, label, filenames));
  };
  const std::size_t n = splits[0].count;
  for (std::size_t k = 0; k < 5; ++k)
    write_batch(slice(splits[0], k * n / 5, (k + 1) * n / 5), "data_batch_" + std::to_string(k + 1),
                "training batch " + std::to_string(k + 1) + " of 5");
  write_batch(splits[1], "test_batch", "testing batch 1 of 1");
}

}  // namespace

void validate(Dataset dataset, const ImageSynthOptions& o) {
  if (row_of(dataset).kind != InputKind::images)
    throw SettingError("dataset", std::string(name_of_choice(dataset)) + " is not an image dataset");
  if (o.samples_per_class < 1 || o.samples_per_class > 10000)
    throw SettingError("samples_per_class", "must be in 1..10000, got " + std::to_string(o.samples_per_class));
  if (o.test_per_class < 1 || o.test_per_class > 10000)
    throw SettingError("test_per_class", "must be in 1..10000, got " + std::to_string(o.test_per_class));
}

ImageSynthSummary synthesize_image_dataset(Dataset dataset, const std::string& out_dir,
                                           const ImageSynthOptions& options) {
  validate(dataset, options);
  make_folder(out_dir);
  const ImageBatch splits[2] = {make_split(dataset, 0, options.samples_per_class, options.seed),
                                make_split(dataset, 1, options.test_per_class, options.seed)};
  Files files;
  switch (row_of(dataset).storage) {
    case Storage::cifar_batches:
      write_cifar(dataset, out_dir, splits, files);
      break;
    case Storage::idx_images:
      write_idx(dataset, out_dir, splits, files);
      break;
    case Storage::recordings:
    case Storage::file_per_sample:
      throw SettingError("dataset", std::string(name_of_choice(dataset)) + " is not an image dataset");
  }
  files.summary.classes = kImageClassNum;
  files.summary.train_images = static_cast<int>(splits[0].count);
  files.summary.test_images = static_cast<int>(splits[1].count);
  return files.summary;
}

}  // namespace plifkit
