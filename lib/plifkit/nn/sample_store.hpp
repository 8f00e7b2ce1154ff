// The samples of one split, turned into batches on demand. Event frames are
// held in memory as stored (uint16 counts: 2 bytes a value, or float32 for
// normalised frames; the real training split is ~1.5 GB as counts) or, when
// the caller says they do not fit, read from the file batch by batch (one
// HDF5 chunk per sample). Images are always held, as uint8 pixels (CIFAR-10's
// train split is 150 MB), read in one pass over the split's chunks.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "plifkit/frames/frames_reader.hpp"

namespace plifkit::nn {

class SampleStore {
 public:
  // The samples `indices` (rows of `split`, in the given order). In memory:
  // loaded now; streamed: `reader` must outlive the store, and is used from
  // one thread at a time (HDF5 is not thread-safe).
  SampleStore(const frames::FramesReader& reader, const std::string& split,
              const std::vector<size_t>& indices, bool in_memory = true);

  // Bytes a split of `samples` samples takes in memory as stored.
  static size_t memory_bytes(const frames::FramesReader& reader, size_t samples);

  size_t size() const { return labels_.size(); }
  const std::vector<int64_t>& labels() const { return labels_; }
  bool holds_images() const { return holds_images_; }
  // Frames of the given positions as float [B, T, 2, H, W], labels as int64
  // [B], on the device the store lives on. Event stores only.
  torch::Tensor frames(const std::vector<int64_t>& positions) const;
  // Images of the given positions as uint8 [B, C, H, W]. Image stores only.
  torch::Tensor images(const std::vector<int64_t>& positions) const;
  torch::Tensor labels(const std::vector<int64_t>& positions) const;

  // Moves the samples (in memory only) to `device`, e.g. a GPU, in their
  // stored type; batches are then gathered and converted there. The host
  // copy is released.
  void move_to(const torch::Device& device);
  // The device batches come on: that of move_to, else the CPU.
  torch::Device device() const { return device_; }

 private:
  const frames::FramesReader* reader_ = nullptr;  // streaming only
  std::string split_;
  std::vector<size_t> rows_;
  bool holds_images_ = false;
  std::vector<int64_t> shape_;  // [T, 2, H, W] or [C, H, W]
  size_t sample_elements_ = 0;
  std::vector<std::uint16_t> counts_;
  std::vector<float> values_;
  std::vector<std::uint8_t> pixels_;
  std::vector<int64_t> labels_;
  // After move_to: [N, T, 2, H, W] int16 (the uint16 counts' bits) or
  // float32, or [N, C, H, W] uint8 images.
  torch::Tensor device_samples_;
  bool counts_fit_int16_ = true;
  torch::Device device_ = torch::kCPU;
};

// The reference's division of the frames file's train split: per class, in
// file order, the first ceil((1 - val_ratio) * n_c) samples train and the
// rest validate. Returns row indices of the train split.
struct TrainValSplit {
  std::vector<size_t> train, val;
};
TrainValSplit split_train_val(const frames::SplitMeta& train_meta, int class_num, double val_ratio);

// Every row of a split, in file order.
std::vector<size_t> all_rows(const frames::SplitMeta& meta);

}  // namespace plifkit::nn
