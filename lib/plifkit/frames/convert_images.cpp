// The conversion of the image datasets (MNIST, FashionMNIST, CIFAR10): every
// image of the distributed files becomes one sample of the `images` layout;
// `source` is its file's name (image_datasets.hpp), `segment` its index
// there. Files are read in parallel, then chunks of images are compressed in
// parallel and written in order, so the file's bytes do not depend on the
// number of threads.
#include <chrono>

#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/core/ordered_pool.hpp"
#include "plifkit/frames/convert_parts.hpp"
#include "plifkit/frames/fingerprint.hpp"
#include "plifkit/frames/images_writer.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/images/image_datasets.hpp"

namespace plifkit::frames::detail {

namespace {

FramesHeader images_header(const ConvertOptions& options) {
  const DatasetRow& facts = row_of(options.dataset);
  FramesHeader h;
  h.dataset = options.dataset;
  h.input_kind = InputKind::images;
  h.channels = static_cast<int>(facts.channels);
  h.height = static_cast<int>(facts.height);
  h.width = static_cast<int>(facts.width);
  h.class_num = static_cast<int>(facts.class_num);
  h.class_names = row_of(options.dataset).class_names;
  h.source_dir = options.source_dir;
  return h;
}

}  // namespace

ConvertSummary convert_images(const ConvertOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  check_output_options(options);
  ConvertSummary summary;
  summary.class_names = row_of(options.dataset).class_names;
  const std::size_t class_num = summary.class_names.size();
  const ImageListing listing = list_image_dataset(options.dataset, options.source_dir);
  const std::string fingerprint = input_fingerprint(listing, options.dataset, options.source_dir);
  auto finish = [&] {
    summary.seconds = seconds_since(start);
    return summary;
  };
  if (up_to_date(options, fingerprint, class_num, summary)) return finish();

  // Every image in memory, per split (CIFAR-10: 180 MB), so that chunks may
  // span two input files.
  const FramesHeader header = images_header(options);
  std::vector<std::uint8_t> pixels[2];
  SplitMeta meta[2];
  std::size_t inputs[2] = {0, 0};
  run_ordered<ImageBatch>(
      listing.inputs.size(), options.jobs, static_cast<std::size_t>(options.jobs),
      [&](std::size_t i, int) {
        check_cancel(options.cancel);
        return read_image_input(options.dataset, listing, listing.inputs[i]);
      },
      [&](std::size_t i, ImageBatch&& batch) {
        const ImageInput& in = listing.inputs[i];
        const int s = in.split;
        pixels[s].insert(pixels[s].end(), batch.pixels.begin(), batch.pixels.end());
        for (std::size_t k = 0; k < batch.count; ++k) {
          meta[s].labels.push_back(batch.labels[k]);
          meta[s].source.push_back(in.source);
          meta[s].segment.push_back(static_cast<std::uint32_t>(k));
        }
        ++inputs[s];
        summary.input_bytes += in.stamp.size + in.labels_stamp.size;
      });
  for (int s = 0; s < 2; ++s)
    if (meta[s].size() == 0)
      throw InputError(std::string("no ") + (s == 0 ? "train" : "test") + " images in " +
                       quoted(listing.folder));

  AtomicOutput output(options.output);
  ImagesWriter writer(output.temp_path(), header, meta[0].size(), meta[1].size(), fingerprint);
  const std::size_t image_bytes =
      static_cast<std::size_t>(header.channels) * static_cast<std::size_t>(header.height) *
      static_cast<std::size_t>(header.width);
  struct Chunk {
    int split;
    std::size_t index;
  };
  std::vector<Chunk> chunks;
  for (int s = 0; s < 2; ++s)
    for (std::size_t c = 0; c * images_per_chunk(meta[s].size()) < meta[s].size(); ++c)
      chunks.push_back({s, c});
  const char* split_names[2] = {names::frames::kTrain, names::frames::kTest};
  ConvertProgress progress;
  progress.recordings_total = meta[0].size() + meta[1].size();
  run_ordered<std::vector<std::uint8_t>>(
      chunks.size(), options.jobs, 2 * static_cast<std::size_t>(options.jobs),
      [&](std::size_t i, int) {
        check_cancel(options.cancel);
        const Chunk& c = chunks[i];
        const std::size_t per_chunk = images_per_chunk(meta[c.split].size());
        const std::size_t first = c.index * per_chunk;
        const std::size_t count = std::min(per_chunk, meta[c.split].size() - first);
        return encode_images_chunk(pixels[c.split].data() + first * image_bytes, count, per_chunk,
                                   image_bytes);
      },
      [&](std::size_t i, std::vector<std::uint8_t>&& encoded) {
        check_cancel(options.cancel);
        const Chunk& c = chunks[i];
        writer.write_chunk(split_names[c.split], c.index, encoded);
        const std::size_t per_chunk = images_per_chunk(meta[c.split].size());
        progress.recordings_done += std::min(per_chunk, meta[c.split].size() - c.index * per_chunk);
        if (options.progress) options.progress(progress);
      });

  writer.write_meta(names::frames::kTrain, meta[0]);
  writer.write_meta(names::frames::kTest, meta[1]);
  writer.close();
  output.commit();
  summary.train = summarize(meta[0], inputs[0], class_num);
  summary.test = summarize(meta[1], inputs[1], class_num);
  return finish();
}

}  // namespace plifkit::frames::detail
