// ASL-DVS files (synth_event_datasets.hpp): MATLAB 5 files of four numeric
// vectors, written with libmatio like the reader reads them.
#include <matio.h>
#include <sys/stat.h>

#include <array>
#include <memory>
#include <vector>

#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/events/dvs_gesture.hpp"
#include "plifkit/events/event_datasets.hpp"
#include "plifkit/datasets/file_layout.hpp"
#include "plifkit/events/synth_formats.hpp"
#include "plifkit/events/synth_sample.hpp"

namespace plifkit {
namespace {

namespace ad = event_datasets::asldvs;
using dvs_gesture::join;

constexpr std::uint64_t kDurationUs = 100000;
constexpr double kTremorPixels = 2;
// matio writes the date into the header unless given one; a fixed text keeps
// the bytes a function of the options.
constexpr const char* kMatHeader = "MATLAB 5.0 MAT-file, Platform: GLNXA64, Created by: plifkit dvs-synth";
constexpr int kMissingIndex = 2;  // awkward: absent from class e's train files

// How one variable is stored: its MATLAB class and element type.
enum class Stored { f64, f32, u8, u16, i32, i64 };

enum class Oddity { none, narrow, wide, row, compressed };

// Awkward mode: the first train file of classes a..d (synth_event_datasets.hpp).
Oddity oddity_of(const EventSynthOptions& o, int split, int class_index, int i) {
  if (!o.awkward || split != 0 || i != 0) return Oddity::none;
  switch (class_index) {
    case 0: return Oddity::narrow;
    case 1: return Oddity::wide;
    case 2: return Oddity::row;
    case 3: return Oddity::compressed;
    default: return Oddity::none;
  }
}

// ts, x, y, pol in the order of ad::kVariables.
std::array<Stored, 4> stored_as(Oddity odd) {
  switch (odd) {
    case Oddity::narrow: return {Stored::i32, Stored::u16, Stored::u16, Stored::u8};
    case Oddity::wide: return {Stored::i64, Stored::f32, Stored::f32, Stored::f64};
    default: return {Stored::f64, Stored::f64, Stored::f64, Stored::f64};
  }
}

struct MatCloser {
  void operator()(mat_t* mat) const { Mat_Close(mat); }
};
using MatFile = std::unique_ptr<mat_t, MatCloser>;

template <typename T>
void write_as(mat_t* mat, const std::string& path, const char* name, const std::vector<double>& values,
              matio_classes cls, matio_types type, bool row, matio_compression compression) {
  std::vector<T> data(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) data[i] = static_cast<T>(values[i]);
  std::size_t dims[2] = {row ? 1 : values.size(), row ? values.size() : 1};
  matvar_t* var = Mat_VarCreate(name, cls, type, 2, dims, data.data(), 0);
  if (var == nullptr) throw IoError("cannot write " + quoted(path) + ": libmatio refused variable " + name);
  const int rc = Mat_VarWrite(mat, var, compression);
  Mat_VarFree(var);
  if (rc != 0) throw IoError("cannot write " + quoted(path) + ": libmatio failed on variable " + name);
}

void write_variable(mat_t* mat, const std::string& path, const char* name, const std::vector<double>& values,
                    Stored stored, bool row, matio_compression z) {
  switch (stored) {
    case Stored::f64: return write_as<double>(mat, path, name, values, MAT_C_DOUBLE, MAT_T_DOUBLE, row, z);
    case Stored::f32: return write_as<float>(mat, path, name, values, MAT_C_SINGLE, MAT_T_SINGLE, row, z);
    case Stored::u8: return write_as<std::uint8_t>(mat, path, name, values, MAT_C_UINT8, MAT_T_UINT8, row, z);
    case Stored::u16: return write_as<std::uint16_t>(mat, path, name, values, MAT_C_UINT16, MAT_T_UINT16, row, z);
    case Stored::i32: return write_as<std::int32_t>(mat, path, name, values, MAT_C_INT32, MAT_T_INT32, row, z);
    case Stored::i64: return write_as<std::int64_t>(mat, path, name, values, MAT_C_INT64, MAT_T_INT64, row, z);
  }
}

// The four vectors of one file, reused from file to file.
struct Columns {
  std::array<std::vector<double>, 4> v;  // ts, x, y, pol
  void fill(const std::vector<SynthEvent>& events) {
    for (auto& c : v) c.resize(events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
      v[0][i] = static_cast<double>(events[i].t);
      v[1][i] = events[i].x;
      v[2][i] = events[i].y;
      v[3][i] = events[i].p;
    }
  }
};

// Written to a temporary name in the same folder, then renamed. Returns the size.
std::uint64_t write_mat(const std::string& path, const Columns& columns, Oddity odd) {
  AtomicOutput out(path);
  {
    MatFile mat(Mat_CreateVer(out.temp_path().c_str(), kMatHeader, MAT_FT_MAT5));
    if (!mat) throw IoError("cannot write " + quoted(path) + ": libmatio could not create it");
    const auto stored = stored_as(odd);
    const matio_compression z = odd == Oddity::compressed ? MAT_COMPRESSION_ZLIB : MAT_COMPRESSION_NONE;
    for (std::size_t k = 0; k < ad::kVariables.size(); ++k)
      write_variable(mat.get(), path, ad::kVariables[k], columns.v[k], stored[k], odd == Oddity::row, z);
    if (Mat_Close(mat.release()) != 0) throw IoError("cannot write " + quoted(path) + ": libmatio failed to close it");
  }
  struct stat st;
  if (::stat(out.temp_path().c_str(), &st) != 0) throw IoError("cannot stat " + quoted(out.temp_path()));
  out.commit();
  return static_cast<std::uint64_t>(st.st_size);
}

}  // namespace

EventSynthSummary synthesize_asldvs(const DatasetRow& row, const std::string& out_dir,
                                    const EventSynthOptions& o) {
  const int classes = static_cast<int>(row.class_num);
  EventSynthSummary summary;
  summary.classes = classes;
  std::vector<SynthEvent> events;
  events.reserve(static_cast<std::size_t>(o.events_per_sample));
  Columns columns;
  for (int c = 0; c < classes; ++c) {
    const std::string& letter = row.class_names[static_cast<std::size_t>(c)];
    const std::string dir = join(out_dir, letter);
    make_folder(dir);
    for (int split = 0; split < 2; ++split) {
      // Train files from the first index, test files from the first index the
      // split rule (i < train_below) puts in the test split.
      const long first = split == 0 ? row.files.first_index : row.files.train_below;
      const int files = split == 0 ? o.samples_per_class : test_files_per_class(o.samples_per_class);
      for (int i = 0; i < files; ++i) {
        const long index = first + i;
        // A partial download: a gap in class e's (4's) numbering.
        if (o.awkward && split == 0 && c == 4 && index == kMissingIndex && files >= 3) continue;
        const Oddity odd = oddity_of(o, split, c, i);
        Rng rng(file_seed(o.seed, row.id, split, c, i));
        SampleSpec spec;
        spec.width = static_cast<int>(row.width);
        spec.height = static_cast<int>(row.height);
        spec.class_index = c;
        spec.class_num = classes;
        spec.start_us = rng.below(100000);
        spec.duration_us = kDurationUs;
        spec.motion = SynthMotion::tremor;
        spec.amplitude = kTremorPixels;
        spec.events = o.events_per_sample;
        synthesize_sample(spec, rng, events);
        columns.fill(events);
        summary.bytes += write_mat(join(dir, sample_file_name(row.files, letter, index)), columns, odd);
        (split == 0 ? summary.train_files : summary.test_files) += 1;
        summary.events += events.size();
      }
    }
  }
  return summary;
}

}  // namespace plifkit
