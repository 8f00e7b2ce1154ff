#include "plifkit/config/run_settings.hpp"

#include <cerrno>
#include <string_view>
#include <cstdlib>
#include <sstream>
#include <type_traits>

#include "plifkit/h5/names.hpp"

namespace plifkit {

namespace {

namespace a = names::checkpoint::config;

// How a field of TrainConfig becomes a SettingValue and back.
template <typename Field, typename = void>
struct Codec;

template <>
struct Codec<int64_t> {
  static constexpr SettingType type = SettingType::integer;
  static SettingValue to(int64_t v) { return v; }
  static int64_t from(const char*, const SettingValue& v) { return std::get<int64_t>(v); }
};
template <>
struct Codec<double> {
  static constexpr SettingType type = SettingType::real;
  static SettingValue to(double v) { return v; }
  static double from(const char*, const SettingValue& v) { return std::get<double>(v); }
};
template <>
struct Codec<bool> {
  static constexpr SettingType type = SettingType::flag;
  static SettingValue to(bool v) { return v; }
  static bool from(const char*, const SettingValue& v) { return std::get<bool>(v); }
};
template <>
struct Codec<std::string> {
  static constexpr SettingType type = SettingType::text;
  static SettingValue to(const std::string& v) { return v; }
  static std::string from(const char*, const SettingValue& v) { return std::get<std::string>(v); }
};
template <>
struct Codec<DeviceSpec> {
  static constexpr SettingType type = SettingType::text;
  static SettingValue to(const DeviceSpec& v) { return name_of(v); }
  static DeviceSpec from(const char*, const SettingValue& v) {
    return parse_device(std::get<std::string>(v));
  }
};
// Enums: by name, parsed here, where the text enters.
template <typename E>
struct Codec<E, std::enable_if_t<std::is_enum_v<E>>> {
  static constexpr SettingType type = SettingType::choice;
  static SettingValue to(E v) { return std::string(name_of_choice(v)); }
  static E from(const char* name, const SettingValue& v) {
    return parse_choice<E>(name, std::get<std::string>(v));
  }
};
// "Take it from the frames file": none.
template <typename T>
struct Codec<std::optional<T>> {
  static constexpr SettingType type = Codec<T>::type;
  static SettingValue to(const std::optional<T>& v) { return v ? Codec<T>::to(*v) : SettingValue{}; }
  static std::optional<T> from(const char* name, const SettingValue& v) {
    if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
    return Codec<T>::from(name, v);
  }
};

template <typename E>
std::string choices_help() {
  return " (" + choice_list<E>() + ")";
}
template <typename E>
std::string choices_help_of(const std::optional<E>*) {
  return choices_help<E>();
}
template <typename E>
std::string choices_help_of(const E*) {
  return choices_help<E>();
}

struct Flags {
  SettingSource source = SettingSource::option;
  bool required = false;
  bool identity = true;
  const char* attribute = nullptr;
  bool floor = false;
};

// `field` is a generic lambda returning a reference to the member, so the
// same accessor serves the const getter and the setter. `then`, when given,
// runs after every set (for a member another one mirrors).
template <typename Access>
Setting entry(const char* name, Flags f, std::string help, Access field,
              void (*then)(TrainConfig&) = nullptr) {
  using Field = std::decay_t<decltype(field(std::declval<TrainConfig&>()))>;
  if constexpr (Codec<Field>::type == SettingType::choice)
    help += choices_help_of(static_cast<const Field*>(nullptr));
  return Setting{name, false, Codec<Field>::type, f.source, f.required, f.identity, f.attribute, f.floor,
                 false, std::move(help),
                 [field](const TrainConfig& c) { return Codec<Field>::to(field(c)); },
                 [field, name, then](TrainConfig& c, const SettingValue& v) {
                   field(c) = Codec<Field>::from(name, v);
                   if (then != nullptr) then(c);
                 }};
}

// Shorthands for the flag sets of the table.
Flags stored(const char* attribute, bool floor = true) { return {SettingSource::option, false, true, attribute, floor}; }
Flags from_frames(const char* attribute) { return {SettingSource::frames, false, true, attribute, true}; }
Flags frames_only(const char* attribute) { return {SettingSource::frames_only, false, true, attribute, true}; }
Flags how() { return {SettingSource::option, false, false, nullptr, false}; }

std::vector<Setting> make_table() {
  std::vector<Setting> t;
  // The reference's arguments (train_val.py), in its table's order.
  t.push_back(entry("init_tau", {SettingSource::option, true, true, a::kInitTau, true},
                    "tau of LIF neurons, tau_0 of PLIF neurons (mean of the per-neuron init)",
                    [](auto& c) -> auto& { return c.net.init_tau; }));
  t.push_back(entry("batch_size", stored(a::kBatchSize), "training batch size",
                    [](auto& c) -> auto& { return c.batch_size; }));
  t.push_back(entry("learning_rate", stored(a::kLearningRate), "Adam learning rate",
                    [](auto& c) -> auto& { return c.learning_rate; }));
  t.push_back(entry("T_max", stored(a::kTMax), "period of the cosine learning-rate schedule, epochs",
                    [](auto& c) -> auto& { return c.T_max; }));
  t.push_back(entry("use_plif", stored(a::kUsePlif), "PLIF neurons (learnable tau); LIF otherwise",
                    [](auto& c) -> auto& { return c.net.use_plif; }));
  t.push_back(entry("alpha_learnable", stored(a::kAlphaLearnable), "learnable alpha of the ATan surrogate",
                    [](auto& c) -> auto& { return c.net.alpha_learnable; }));
  t.push_back(entry("use_max_pool", stored(a::kUseMaxPool), "max pooling (average pooling otherwise)",
                    [](auto& c) -> auto& { return c.net.use_max_pool; }));
  t.push_back(entry("device", how(), "cpu, cuda or cuda:N (CUDA needs a build against a CUDA LibTorch)",
                    [](auto& c) -> auto& { return c.device; }));
  t.push_back(entry("dataset_name", from_frames(a::kDataset),
                    "dataset; must match the frames file; selects the network",
                    [](auto& c) -> auto& { return c.dataset; },
                    [](TrainConfig& c) { c.net.dataset = c.dataset.value_or(kDefaultDataset); }));
  t.push_back(entry("log_dir_prefix", how(), "folder that receives the run folder",
                    [](auto& c) -> auto& { return c.log_dir_prefix; }));
  t.push_back(entry("T", from_frames(a::kT),
                    "time steps; must match an event frames file; required for images",
                    [](auto& c) -> auto& { return c.T; }));
  t.push_back(entry("channels", stored(a::kChannels), "channels of the conv layers (static networks: MNISTNet's width, half Cifar10Net's)",
                    [](auto& c) -> auto& { return c.net.channels; }));
  t.push_back(entry("number_layer", stored(a::kNumberLayer), "number of conv blocks of the event networks (the static ones are fixed)",
                    [](auto& c) -> auto& { return c.net.number_layer; }));
  t.push_back(entry("split_by", from_frames(a::kSplitBy), "how events were split into frames; must match the frames file",
                    [](auto& c) -> auto& { return c.split_by; }));
  t.back().events_only = true;
  t.push_back(entry("normalization", from_frames(a::kNormalization), "frame normalisation; must match the frames file",
                    [](auto& c) -> auto& { return c.normalization; }));
  t.back().events_only = true;
  t.push_back(entry("max_epoch", {SettingSource::option, true, false, a::kMaxEpoch, true},
                    "epochs to train (a run may be extended: not part of its identity)",
                    [](auto& c) -> auto& { return c.max_epoch; }));
  t.push_back(entry("detach_reset", stored(a::kDetachReset), "cut the gradient through the reset",
                    [](auto& c) -> auto& { return c.net.detach_reset; }));
  t.push_back(entry("tau_per_neuron", stored(a::kTauPerNeuron), "one learnable tau per neuron (else one per layer); needs use_plif",
                    [](auto& c) -> auto& { return c.net.tau_per_neuron; }));
  t.push_back(entry("tau_std_dev", stored(a::kTauStdDev), "std of the per-neuron initial tau; needs tau_per_neuron",
                    [](auto& c) -> auto& { return c.net.tau_std_dev; }));
  t.push_back(entry("reg_lambda", stored(a::kRegLambda), "weight of the variance regulariser per PLIF layer; needs tau_per_neuron",
                    [](auto& c) -> auto& { return c.reg_lambda; }));
  t.push_back(entry("seed", stored(a::kSeed), "random seed",
                    [](auto& c) -> auto& { return c.seed; }));
  for (Setting& s : t) s.reference = true;
  // What the frames file alone decides.
  t.push_back(entry("height", frames_only(a::kHeight), "input height",
                    [](auto& c) -> auto& { return c.net.height; }));
  t.push_back(entry("width", frames_only(a::kWidth), "input width",
                    [](auto& c) -> auto& { return c.net.width; }));
  t.push_back(entry("class_num", frames_only(a::kClassNum), "number of classes",
                    [](auto& c) -> auto& { return c.net.class_num; }));
  // plifkit's own.
  t.push_back(entry("data", {SettingSource::option, true, false, nullptr, false},
                    "frames file (replaces the dataset folder)",
                    [](auto& c) -> auto& { return c.data_path; }));
  t.push_back(entry("name", how(), "run folder name (default: as the reference's train_val.py names it, docs/training.md)",
                    [](auto& c) -> auto& { return c.name; }));
  t.push_back(entry("dropout_p", stored(a::kDropoutP, false), "dropout probability",
                    [](auto& c) -> auto& { return c.net.dropout_p; }));
  t.push_back(entry("tau_init", stored(a::kTauInit, false),
                    "per-neuron tau: LogNormal (reference code) or 1 + LogNormal (thesis text)",
                    [](auto& c) -> auto& { return c.net.tau_init; }));
  t.push_back(entry("reg_target", stored(a::kRegTarget, false),
                    "what the regulariser's variance is of: w (reference code) or tau (thesis text)",
                    [](auto& c) -> auto& { return c.reg_target; }));
  t.push_back(entry("tau_lr_scale", stored(a::kTauLrScale, false), "learning-rate factor for the w parameters",
                    [](auto& c) -> auto& { return c.tau_lr_scale; }));
  t.push_back(entry("augment", stored(a::kAugment, false),
                    "images: the reference's training transforms (MNIST: RandomAffine; CIFAR10: "
                    "RandomCrop with padding 4, RandomHorizontalFlip); off: normalisation only",
                    [](auto& c) -> auto& { return c.augment; }));
  t.push_back(entry("val_ratio", stored(a::kValRatio), "share of each class of the train split used for validation",
                    [](auto& c) -> auto& { return c.val_ratio; }));
  t.push_back(entry("max_steps", how(), "stop after this many optimizer steps (0: no limit)",
                    [](auto& c) -> auto& { return c.max_steps; }));
  // Recorded in /config for the record; a run may resume with another.
  t.push_back(entry("amp", {SettingSource::option, false, false, a::kAmp, false},
                    "mixed precision on CUDA for convolutions and linear layers",
                    [](auto& c) -> auto& { return c.amp; }));
  t.push_back(entry("init_checkpoint", how(), "start from this checkpoint's model weights",
                    [](auto& c) -> auto& { return c.init_checkpoint; }));
  t.push_back(entry("stream_frames", how(),
                    "read every batch from the frames file instead of holding the frames in memory "
                    "(automatic when they need more than half of it)",
                    [](auto& c) -> auto& { return c.stream_frames; }));
  t.push_back(entry("tensorboard", how(),
                    "TensorBoard event files in the run folder, with the reference's tags",
                    [](auto& c) -> auto& { return c.tensorboard; }));
  return t;
}

}  // namespace

const std::vector<Setting>& run_settings() {
  static const std::vector<Setting> table = make_table();
  return table;
}

std::string to_text(const SettingValue& value) {
  struct Visitor {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const {
      std::ostringstream s;
      s << v;
      return s.str();
    }
    std::string operator()(bool v) const { return v ? "True" : "False"; }
    std::string operator()(const std::string& v) const { return v; }
  };
  return std::visit(Visitor{}, value);
}

SettingValue parse_text(const Setting& setting, const std::string& text) {
  switch (setting.type) {
    case SettingType::integer: {
      errno = 0;
      char* end = nullptr;
      const long long v = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || errno == ERANGE)
        throw SettingError(setting.name, "must be an integer, got '" + text + "'");
      return static_cast<int64_t>(v);
    }
    case SettingType::real: {
      errno = 0;
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0' || errno == ERANGE)
        throw SettingError(setting.name, "must be a number, got '" + text + "'");
      return v;
    }
    case SettingType::flag:
      return true;
    case SettingType::choice:
    case SettingType::text:
      return text;
  }
  return {};
}

std::vector<SettingDifference> differences(const TrainConfig& a, const TrainConfig& b,
                                           const std::function<bool(const Setting&)>& which) {
  std::vector<SettingDifference> out;
  for (const Setting& s : run_settings()) {
    if (!which(s)) continue;
    const SettingValue x = s.get(a), y = s.get(b);
    if (x != y) out.push_back({s.name, to_text(x), to_text(y)});
  }
  return out;
}

std::string describe(const std::vector<SettingDifference>& differences) {
  std::string out;
  for (const auto& d : differences)
    out += (out.empty() ? "" : ", ") + d.name + " " + d.a + " vs " + d.b;
  return out;
}

bool defines_the_run(const Setting& s) { return s.identity; }

bool decided_by_frames(const Setting& s) { return s.source != SettingSource::option; }

bool decided_by_frames_of(const Setting& s, InputKind kind) {
  if (!decided_by_frames(s)) return false;
  // T is the only setting both an option and decided by an event file.
  return kind == InputKind::events || !(s.events_only || std::string_view(s.name) == "T");
}

}  // namespace plifkit
