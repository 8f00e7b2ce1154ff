// TensorBoard event files: a writer that appends scalars and histograms to a
// new file of a run folder, a reader, and the filter a resumed run uses to
// take back what a stopped run wrote past its checkpoint.
//
// File names are TensorBoard writers': events.out.tfevents.<seconds>.<host>.
// <pid>.<n>; the first event of a file carries file_version "brain.Event:2".
// Values are Summary.Value simple_value scalars (float32) and histo
// histograms; values of other kinds (images, tensors) are skipped by the
// reader and kept as they are by the filter.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace plifkit::tensorboard {

inline constexpr const char* kFileVersion = "brain.Event:2";

// TensorBoard's histogram: bucket[i] counts the values between
// bucket_limit[i - 1] (min for i = 0) and bucket_limit[i].
struct Histogram {
  double min = 0, max = 0, num = 0, sum = 0, sum_squares = 0;
  std::vector<double> bucket_limit, bucket;
};

struct ScalarEvent {
  std::string tag;
  std::int64_t step = 0;
  float value = 0;
  double wall_time = 0;  // seconds since 1970
};

struct HistogramEvent {
  std::string tag;
  std::int64_t step = 0;
  Histogram histogram;
  double wall_time = 0;
};

struct EventFileContents {
  std::string file_version;  // of the file's first event; empty when it has none
  std::vector<ScalarEvent> scalars;  // in file order
  std::vector<HistogramEvent> histograms;
  std::int64_t truncated_at = -1;  // as RecordFile::truncated_at
};

// Reads an event file, checking every record's CRCs. Throws IoError, or
// FormatError naming the file and the byte offset of a damaged record or of
// a record that is no Event.
EventFileContents read_event_file(const std::string& path);

// Whether a file name (no folder) is an event file's: events.out.tfevents.*,
// not a temporary of a rewrite.
bool is_event_file_name(const std::string& name);

// The event files in `folder` (not in its subfolders), paths sorted by name,
// which is the order they were written in. Throws IoError when the folder
// cannot be listed.
std::vector<std::string> list_event_files(const std::string& folder);

// Removes temporaries of event file rewrites (filter_event_file) that a
// killed process left in `folder`. Throws IoError.
void remove_stale_temporaries(const std::string& folder);

// Appends events to a new event file of a folder. Nothing is created until
// the first flush, so a run that fails before logging leaves no file. Each
// flush writes all events added since the last in one write: a process
// killed at any point leaves complete records followed by at most one
// incomplete one, which readers skip.
class EventFileWriter {
 public:
  explicit EventFileWriter(std::string folder);
  ~EventFileWriter();
  EventFileWriter(const EventFileWriter&) = delete;
  EventFileWriter& operator=(const EventFileWriter&) = delete;

  void add_scalar(const std::string& tag, std::int64_t step, double value);
  void add_histogram(const std::string& tag, std::int64_t step, const Histogram& histogram);
  // Writes the added events (creating the file with its file_version event
  // first). Throws IoError naming the file.
  void flush();
  // flush, then fsync.
  void sync();
  // The file's path; empty before the first flush that wrote something.
  const std::string& path() const { return path_; }

 private:
  void create_file();

  std::string folder_;
  std::string path_;
  int fd_ = -1;
  std::string pending_;  // framed records not yet written
};

// Keeps in an event file only the summary values for which keep(tag, step)
// is true (events without summary values, such as file_version, stay), and
// drops an incomplete last record. When that changes the file, it is
// replaced atomically (temporary file, rename); when no summary value is
// left, it is removed. Returns true when the file changed. Throws as
// read_event_file, and IoError when it cannot be replaced.
using KeepValue = std::function<bool(const std::string& tag, std::int64_t step)>;
bool filter_event_file(const std::string& path, const KeepValue& keep);

}  // namespace plifkit::tensorboard
