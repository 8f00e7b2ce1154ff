#include "plifkit/nn/tensorboard_sink.hpp"

#include "plifkit/tensorboard/histogram.hpp"

namespace plifkit::nn {

namespace {

tensorboard::LogRow row_of(const MetricsLog& log, size_t r) {
  tensorboard::LogRow row;
  for (size_t i = 0; i < log.names.size(); ++i) row.emplace_back(log.names[i], log.columns[i][r]);
  return row;
}

void write(tensorboard::EventFileWriter& writer, const std::vector<tensorboard::Scalar>& scalars) {
  for (const auto& s : scalars) writer.add_scalar(s.tag, s.step, s.value);
}

}  // namespace

void TensorBoardSink::on_start(const std::string& run_dir, const TrainState& state,
                               const MetricsLog& log, int64_t steps_per_epoch, PlifNetImpl& net) {
  const NeuronKind kind = neuron_kind_of(net.config());
  layout_.learnable = kind != NeuronKind::lif;
  layout_.per_neuron = kind == NeuronKind::plif_per_neuron;
  tensorboard::LogPosition position;
  position.epoch = state.epoch;
  position.train_times = state.train_times;
  position.epoch_end_train_times = state.train_times - state.partial.steps;
  std::vector<tensorboard::LogRow> rows;
  for (size_t r = 0; r < log.rows(); ++r) rows.push_back(row_of(log, r));
  const auto missing =
      tensorboard::reconcile_run_folder(run_dir, position, rows, steps_per_epoch, layout_);
  writer_ = std::make_unique<tensorboard::EventFileWriter>(run_dir);
  write(*writer_, missing);
  writer_->sync();
}

void TensorBoardSink::on_step(int64_t train_times, double loss, double accuracy) {
  if (!tensorboard::logs_step(train_times)) return;
  write(*writer_, tensorboard::step_scalars(train_times, loss, accuracy));
  writer_->flush();
}

void TensorBoardSink::on_epoch(const MetricsLog& log, int64_t train_times, PlifNetImpl& net) {
  const auto scalars = tensorboard::epoch_scalars(row_of(log, log.rows() - 1), train_times, layout_);
  write(*writer_, scalars);
  if (layout_.per_neuron) {
    torch::NoGradGuard no_grad;
    const int64_t epoch = scalars.front().step;  // test_accuracy's
    const auto& layers = net.neuron_layers();
    for (size_t i = 0; i < layers.size(); ++i) {
      const torch::Tensor tau = layers[i].second->tau().detach().to(torch::kCPU, torch::kFloat64).contiguous();
      const std::vector<double> values(tau.data_ptr<double>(), tau.data_ptr<double>() + tau.numel());
      writer_->add_histogram(tensorboard::tau_histogram_tag(i), epoch, tensorboard::make_histogram(values));
    }
  }
  // On disk before the epoch's checkpoint is started.
  writer_->sync();
}

}  // namespace plifkit::nn
