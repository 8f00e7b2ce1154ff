// Where the image datasets' files are and what they are called
// (formats.md section 1): the layouts users already have, the distributed
// file each image comes from (its `source`), and the class names.
//
//   MNIST, FashionMNIST  train-images-idx3-ubyte, train-labels-idx1-ubyte,
//                        t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,
//                        each plain or .gz (plain preferred when both are
//                        there), in ROOT itself, in torchvision's
//                        ROOT/MNIST/raw (ROOT/FashionMNIST/raw) or in
//                        ROOT/raw; `source` the images file's name without
//                        .gz.
//   CIFAR10              data_batch_1..5 and test_batch, binary (.bin) or
//                        pickled, in ROOT itself or in
//                        ROOT/cifar-10-batches-bin (preferred) or
//                        ROOT/cifar-10-batches-py; `source` the batch's name
//                        without .bin, so both versions give the same file.
#pragma once

#include <string>
#include <vector>

#include "plifkit/datasets/registry.hpp"
#include "plifkit/core/file_stamp.hpp"
#include "plifkit/images/image_batch.hpp"

namespace plifkit {

enum class ImageFormat { idx, cifar_bin, cifar_py };

// One distributed file (for IDX: an images file and its labels file).
struct ImageInput {
  std::string source;  // "train-images-idx3-ubyte", "data_batch_1", ...
  int split = 0;       // 0: train, 1: test
  std::string path;    // the images (IDX) or the batch (CIFAR-10)
  std::string labels_path;  // IDX only
  FileStamp stamp, labels_stamp;
};

struct ImageListing {
  ImageFormat format = ImageFormat::idx;
  std::string folder;  // where the files were found
  // Train inputs, then test inputs, each in source byte order.
  std::vector<ImageInput> inputs;
};

// Finds the dataset's files under root. Throws InputError naming root (no
// such folder, none of the layouts above) or the missing file, IoError.
ImageListing list_image_dataset(Dataset dataset, const std::string& root);

// Reads one input; checks the images are the dataset's size. Throws as the
// readers (idx_reader.hpp, cifar_reader.hpp) and InputError naming the file
// for images of another size.
ImageBatch read_image_input(Dataset dataset, const ImageListing& listing, const ImageInput& input);

}  // namespace plifkit
