#include "plifkit/dist/gradient_averager.hpp"

namespace plifkit::dist {

GradientAverager::GradientAverager(ProcessGroup& group, const std::vector<torch::Tensor>& parameters,
                                   int64_t bucket_bytes)
    : group_(group) {
  slots_.reserve(parameters.size());
  bucket_of_.resize(parameters.size());
  int64_t filled = 0;  // elements in the last bucket
  for (size_t i = parameters.size(); i-- > 0;) {
    const torch::Tensor& p = parameters[i];
    TORCH_CHECK(p.scalar_type() == parameters.front().scalar_type(), "one dtype for all parameters");
    const int64_t per_bucket = std::max<int64_t>(1, bucket_bytes / static_cast<int64_t>(p.element_size()));
    if (buckets_.empty() || (filled + p.numel() > per_bucket && !buckets_.back().slots.empty())) {
      buckets_.emplace_back();
      filled = 0;
    }
    Slot s;
    s.parameter = p;
    s.offset = filled;
    slots_.push_back(s);
    buckets_.back().slots.push_back(slots_.size() - 1);
    bucket_of_[slots_.size() - 1] = buckets_.size() - 1;
    filled += p.numel();
  }
  for (Bucket& b : buckets_) {
    int64_t numel = 0;
    for (size_t s : b.slots) numel = std::max(numel, slots_[s].offset + slots_[s].parameter.numel());
    b.flat = torch::zeros({numel}, slots_[b.slots.front()].parameter.options().requires_grad(false));
  }
  for (size_t s = 0; s < slots_.size(); ++s) {
    // The hook sees the parameter's whole gradient of this backward pass
    // before it is accumulated into .grad.
    slots_[s].hook = slots_[s].parameter.register_hook([this, s](const torch::Tensor& grad) { arrive(s, grad); });
  }
}

GradientAverager::~GradientAverager() {
  for (Slot& s : slots_) s.parameter.remove_hook(s.hook);
}

void GradientAverager::arrive(size_t slot, const torch::Tensor& grad) {
  Slot& s = slots_[slot];
  Bucket& b = buckets_[bucket_of_[slot]];
  b.flat.narrow(0, s.offset, s.parameter.numel()).copy_(grad.reshape(-1));
  if (!s.arrived) {
    s.arrived = true;
    if (++b.arrived == b.slots.size()) send(b);
  }
}

void GradientAverager::send(Bucket& b) { b.pending = group_.start_sum({b.flat}, "the gradients' allreduce"); }

void GradientAverager::finish() {
  for (Bucket& b : buckets_) {
    if (b.arrived < b.slots.size()) {
      for (size_t s : b.slots)
        if (!slots_[s].arrived) b.flat.narrow(0, slots_[s].offset, slots_[s].parameter.numel()).zero_();
      send(b);
    }
  }
  const double ranks = static_cast<double>(group_.size());
  torch::NoGradGuard no_grad;
  for (Bucket& b : buckets_) {
    group_.finish(b.pending);
    b.flat.div_(ranks);
    for (size_t i : b.slots) {
      Slot& s = slots_[i];
      const torch::Tensor average = b.flat.narrow(0, s.offset, s.parameter.numel()).view_as(s.parameter);
      if (s.parameter.grad().defined())
        s.parameter.mutable_grad().copy_(average);
      else
        s.parameter.mutable_grad() = average.clone();
      s.arrived = false;
    }
    b.arrived = 0;
  }
}

int64_t GradientAverager::bytes_per_step() const {
  int64_t bytes = 0;
  for (const Bucket& b : buckets_) bytes += b.flat.numel() * static_cast<int64_t>(b.flat.element_size());
  const int64_t n = group_.size();
  return n > 1 ? 2 * (n - 1) * bytes / n : 0;
}

}  // namespace plifkit::dist
