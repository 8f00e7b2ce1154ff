// dvs-synth --dataset MNIST | FashionMNIST | CIFAR10: small synthetic image
// datasets in the layouts their users have (image_datasets.hpp), for tests
// and demos:
//
//   MNIST         OUT/MNIST/raw/: train-images-idx3-ubyte,
//                 train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
//                 t10k-labels-idx1-ubyte, each also as .gz, as torchvision
//                 leaves them after a download.
//   FashionMNIST  the same under OUT/FashionMNIST/raw/.
//   CIFAR10       OUT/cifar-10-batches-bin/ (data_batch_1..5.bin,
//                 test_batch.bin) and OUT/cifar-10-batches-py/ (the same
//                 batches pickled as Python 2 did, cifar_pickle_writer.hpp),
//                 holding the same images.
//
// Each class is a bright rectangle with its own place and size (CIFAR10:
// and its own colour) on a noisy background, jittered by up to 2 pixels and
// in brightness, so a small network learns them. Images come in a shuffled
// class order; CIFAR10's train images are dealt to five batches in turn.
// Everything depends only on the options (rng.hpp).
#pragma once

#include <cstdint>
#include <string>

#include "plifkit/datasets/registry.hpp"

namespace plifkit {

struct ImageSynthOptions {
  int samples_per_class = 16;  // train images per class, 1..10000
  int test_per_class = 4;      // test images per class, 1..10000
  std::uint64_t seed = 2020;
};

struct ImageSynthSummary {
  int classes = 0;
  int train_images = 0;
  int test_images = 0;
  int files = 0;
  std::uint64_t bytes = 0;  // of all files written
};

// Throws SettingError naming the option (dataset: not an image dataset,
// samples_per_class, test_per_class).
void validate(Dataset dataset, const ImageSynthOptions& options);

// Writes the dataset under out_dir (created when missing; files of the same
// names are replaced, each atomically). Throws SettingError, IoError.
ImageSynthSummary synthesize_image_dataset(Dataset dataset, const std::string& out_dir,
                                           const ImageSynthOptions& options);

}  // namespace plifkit
