#include "plifkit/nn/sample_store.hpp"

#include <algorithm>
#include <cmath>

#include "plifkit/nn/device.hpp"

namespace plifkit::nn {

SampleStore::SampleStore(const frames::FramesReader& reader, const std::string& split,
                         const std::vector<size_t>& indices, bool in_memory)
    : split_(split), rows_(indices) {
  const auto& h = reader.header();
  holds_images_ = reader.holds_images();
  shape_ = holds_images_ ? std::vector<int64_t>{h.channels, h.height, h.width}
                         : std::vector<int64_t>{h.T, 2, h.height, h.width};
  sample_elements_ = reader.sample_elements();
  const auto& meta = reader.meta(split);
  for (size_t row : indices) labels_.push_back(meta.labels[row]);
  if (holds_images_) {
    // Many images share a chunk: the whole split is read once, then picked.
    std::vector<std::uint8_t> all(meta.size() * sample_elements_);
    if (!all.empty()) reader.read_images(split, 0, meta.size(), all.data());
    pixels_.resize(indices.size() * sample_elements_);
    for (size_t i = 0; i < indices.size(); ++i)
      std::copy_n(all.begin() + static_cast<std::ptrdiff_t>(indices[i] * sample_elements_),
                  sample_elements_, pixels_.begin() + static_cast<std::ptrdiff_t>(i * sample_elements_));
    return;
  }
  if (!in_memory) {
    reader_ = &reader;
    return;
  }
  if (reader.stores_counts())
    counts_.resize(indices.size() * sample_elements_);
  else
    values_.resize(indices.size() * sample_elements_);
  for (size_t i = 0; i < indices.size(); ++i) {
    if (reader.stores_counts())
      reader.read_counts(split, indices[i], 1, counts_.data() + i * sample_elements_);
    else
      reader.read_float(split, indices[i], 1, values_.data() + i * sample_elements_);
  }
}

size_t SampleStore::memory_bytes(const frames::FramesReader& reader, size_t samples) {
  const size_t bytes = reader.holds_images() ? 1 : reader.stores_counts() ? 2 : 4;
  return samples * reader.sample_elements() * bytes;
}

void SampleStore::move_to(const torch::Device& device) {
  if (device == device_ || reader_ != nullptr) return;
  device_ = device;
  if (size() == 0) return;
  std::vector<int64_t> shape = {static_cast<int64_t>(size())};
  shape.insert(shape.end(), shape_.begin(), shape_.end());
  if (holds_images_) {
    device_samples_ = torch::from_blob(pixels_.data(), shape, torch::kUInt8).to(device);
    std::vector<std::uint8_t>().swap(pixels_);
  } else if (!counts_.empty()) {
    // Torch has no uint16 here: the bits travel as int16, and counts above
    // 32767 (rare, clamped at 65535) are unwrapped when a batch is made.
    counts_fit_int16_ =
        std::all_of(counts_.begin(), counts_.end(), [](std::uint16_t c) { return c <= 32767; });
    device_samples_ = torch::from_blob(counts_.data(), shape, torch::kInt16).to(device);
    std::vector<std::uint16_t>().swap(counts_);
  } else {
    device_samples_ = torch::from_blob(values_.data(), shape, torch::kFloat32).to(device);
    std::vector<float>().swap(values_);
  }
}

torch::Tensor SampleStore::frames(const std::vector<int64_t>& positions) const {
  if (device_samples_.defined()) {
    const torch::Tensor index = upload(torch::tensor(positions, torch::kInt64), device_);
    torch::Tensor batch = device_samples_.index_select(0, index);
    if (batch.scalar_type() == torch::kInt16 && !counts_fit_int16_)
      batch = batch.to(torch::kInt32).bitwise_and(0xFFFF);
    return batch.to(torch::kFloat32);
  }
  std::vector<int64_t> shape = {static_cast<int64_t>(positions.size())};
  shape.insert(shape.end(), shape_.begin(), shape_.end());
  torch::Tensor out = torch::empty(shape, torch::kFloat32);
  float* dst = out.data_ptr<float>();
  for (size_t i = 0; i < positions.size(); ++i) {
    const auto p = static_cast<size_t>(positions[i]);
    float* d = dst + i * sample_elements_;
    if (reader_ != nullptr) {
      reader_->read_float(split_, rows_[p], 1, d);
    } else if (!counts_.empty()) {
      const std::uint16_t* s = counts_.data() + p * sample_elements_;
      for (size_t e = 0; e < sample_elements_; ++e) d[e] = static_cast<float>(s[e]);
    } else {
      std::copy(values_.begin() + p * sample_elements_,
                values_.begin() + (p + 1) * sample_elements_, d);
    }
  }
  return out;
}

torch::Tensor SampleStore::images(const std::vector<int64_t>& positions) const {
  const torch::Tensor index = torch::tensor(positions, torch::kInt64);
  if (device_samples_.defined())
    return device_samples_.index_select(0, upload(index, device_));
  std::vector<int64_t> shape = {static_cast<int64_t>(size())};
  shape.insert(shape.end(), shape_.begin(), shape_.end());
  // A view of the held pixels; index_select copies the batch out of it.
  const torch::Tensor all = torch::from_blob(const_cast<std::uint8_t*>(pixels_.data()), shape, torch::kUInt8);
  return all.index_select(0, index);
}

torch::Tensor SampleStore::labels(const std::vector<int64_t>& positions) const {
  std::vector<int64_t> l;
  for (int64_t p : positions) l.push_back(labels_[static_cast<size_t>(p)]);
  return upload(torch::tensor(l, torch::kInt64), device_);
}

TrainValSplit split_train_val(const frames::SplitMeta& meta, int class_num, double val_ratio) {
  std::vector<std::vector<size_t>> by_class(static_cast<size_t>(class_num));
  for (size_t i = 0; i < meta.size(); ++i) by_class[meta.labels[i]].push_back(i);
  std::vector<bool> is_train(meta.size(), false);
  for (const auto& rows : by_class) {
    const auto n_train =
        static_cast<size_t>(std::ceil((1.0 - val_ratio) * static_cast<double>(rows.size())));
    for (size_t j = 0; j < rows.size() && j < n_train; ++j) is_train[rows[j]] = true;
  }
  TrainValSplit s;
  for (size_t i = 0; i < meta.size(); ++i) (is_train[i] ? s.train : s.val).push_back(i);
  return s;
}

std::vector<size_t> all_rows(const frames::SplitMeta& meta) {
  std::vector<size_t> rows(meta.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return rows;
}

}  // namespace plifkit::nn
