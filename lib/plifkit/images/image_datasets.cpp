#include "plifkit/images/image_datasets.hpp"

#include <sys/stat.h>

#include "plifkit/core/error.hpp"
#include "plifkit/images/cifar_reader.hpp"
#include "plifkit/images/idx_reader.hpp"

namespace plifkit {

namespace {

bool is_folder(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The plain file when it exists, else its .gz, else "".
std::string plain_or_gz(const std::string& path) {
  if (file_exists(path)) return path;
  if (file_exists(path + ".gz")) return path + ".gz";
  return "";
}

ImageListing list_idx(Dataset dataset, const std::string& root) {
  const std::string name = name_of_choice(dataset);
  ImageListing listing;
  for (const std::string& folder : {root, root + "/" + name + "/raw", root + "/raw"})
    if (!plain_or_gz(folder + "/train-images-idx3-ubyte").empty()) {
      listing.folder = folder;
      break;
    }
  if (listing.folder.empty())
    throw InputError("no " + name + " files in " + quoted(root) +
                     ": expected train-images-idx3-ubyte (or .gz) in it, in " + name +
                     "/raw or in raw");
  listing.format = ImageFormat::idx;
  int split = 0;
  for (const char* prefix : {"train", "t10k"}) {
    ImageInput in;
    in.source = std::string(prefix) + "-images-idx3-ubyte";
    in.split = split++;
    const std::string labels = listing.folder + "/" + prefix + "-labels-idx1-ubyte";
    in.path = plain_or_gz(listing.folder + "/" + in.source);
    in.labels_path = plain_or_gz(labels);
    for (const std::string& missing : {in.path.empty() ? listing.folder + "/" + in.source : "",
                                       in.labels_path.empty() ? labels : ""})
      if (!missing.empty()) throw InputError(quoted(missing) + " (or .gz) does not exist");
    in.stamp = stamp_file(in.path, "images file");
    in.labels_stamp = stamp_file(in.labels_path, "labels file");
    listing.inputs.push_back(std::move(in));
  }
  return listing;
}

ImageListing list_cifar(const std::string& root) {
  ImageListing listing;
  if (file_exists(root + "/data_batch_1.bin")) {
    listing = {ImageFormat::cifar_bin, root, {}};
  } else if (file_exists(root + "/data_batch_1")) {
    listing = {ImageFormat::cifar_py, root, {}};
  } else if (is_folder(root + "/cifar-10-batches-bin")) {
    listing = {ImageFormat::cifar_bin, root + "/cifar-10-batches-bin", {}};
  } else if (is_folder(root + "/cifar-10-batches-py")) {
    listing = {ImageFormat::cifar_py, root + "/cifar-10-batches-py", {}};
  } else {
    throw InputError("no CIFAR10 files in " + quoted(root) +
                     ": expected cifar-10-batches-bin or cifar-10-batches-py in it, or their files");
  }
  const std::string extension = listing.format == ImageFormat::cifar_bin ? ".bin" : "";
  for (const char* source : {"data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
                             "data_batch_5", "test_batch"}) {
    ImageInput in;
    in.source = source;
    in.split = in.source == "test_batch" ? 1 : 0;
    in.path = listing.folder + "/" + source + extension;
    in.stamp = stamp_file(in.path, "CIFAR-10 batch");
    listing.inputs.push_back(std::move(in));
  }
  return listing;
}

}  // namespace

ImageListing list_image_dataset(Dataset dataset, const std::string& root) {
  const DatasetRow& row = row_of(dataset);
  if (row.kind != InputKind::images)
    throw UsageError(std::string(name_of_choice(dataset)) + " is not an image dataset");
  if (!file_exists(root)) throw InputError("dataset folder " + quoted(root) + " does not exist");
  if (!is_folder(root)) throw InputError("dataset folder " + quoted(root) + " is not a folder");
  switch (row.storage) {
    case Storage::idx_images:
      return list_idx(dataset, root);
    case Storage::cifar_batches:
      return list_cifar(root);
    case Storage::recordings:
    case Storage::file_per_sample:
      break;
  }
  throw UsageError(std::string(name_of_choice(dataset)) + " is not an image dataset");
}

ImageBatch read_image_input(Dataset dataset, const ImageListing& listing, const ImageInput& input) {
  ImageBatch batch = listing.format == ImageFormat::idx
                         ? read_idx_pair(input.path, input.labels_path)
                         : read_cifar_batch(input.path, listing.format == ImageFormat::cifar_py);
  const DatasetRow& facts = row_of(dataset);
  if (batch.channels != facts.channels || batch.height != facts.height || batch.width != facts.width)
    throw InputError(quoted(input.path) + " holds images of " + std::to_string(batch.channels) + "x" +
                     std::to_string(batch.height) + "x" + std::to_string(batch.width) + ", " +
                     name_of_choice(dataset) + "'s are " + std::to_string(facts.channels) + "x" +
                     std::to_string(facts.height) + "x" + std::to_string(facts.width));
  return batch;
}

}  // namespace plifkit
