#include "plifkit/tensorboard/event_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/tensorboard/event.pb.h"
#include "plifkit/tensorboard/record_file.hpp"

namespace plifkit::tensorboard {

namespace {

constexpr const char* kPrefix = "events.out.tfevents.";

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

proto::Event parse_event(const std::string& path, const Record& record) {
  proto::Event event;
  if (!event.ParseFromString(record.data))
    throw FormatError(quoted(path) + ": record at byte " + std::to_string(record.offset) +
                      ": not a TensorBoard event");
  return event;
}

Histogram from_proto(const proto::HistogramProto& p) {
  Histogram h;
  h.min = p.min();
  h.max = p.max();
  h.num = p.num();
  h.sum = p.sum();
  h.sum_squares = p.sum_squares();
  h.bucket_limit.assign(p.bucket_limit().begin(), p.bucket_limit().end());
  h.bucket.assign(p.bucket().begin(), p.bucket().end());
  return h;
}

void to_proto(const Histogram& h, proto::HistogramProto& p) {
  p.set_min(h.min);
  p.set_max(h.max);
  p.set_num(h.num);
  p.set_sum(h.sum);
  p.set_sum_squares(h.sum_squares);
  for (double limit : h.bucket_limit) p.add_bucket_limit(limit);
  for (double count : h.bucket) p.add_bucket(count);
}

std::string framed(const proto::Event& event) {
  std::string data;
  event.SerializeToString(&data);
  return frame_record(data);
}

// The <seconds> field of an event file name, -1 when it has none.
long long seconds_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  long long seconds = -1;
  if (std::sscanf(name.c_str() + std::strlen(kPrefix), "%lld", &seconds) != 1) return -1;
  return seconds;
}

void write_all(int fd, const std::string& bytes, const std::string& path) {
  const char* p = bytes.data();
  for (std::size_t left = bytes.size(); left > 0;) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw IoError("cannot write " + quoted(path) + ": " + std::strerror(errno));
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace

EventFileContents read_event_file(const std::string& path) {
  const RecordFile records = read_record_file(path);
  EventFileContents contents;
  contents.truncated_at = records.truncated_at;
  for (size_t i = 0; i < records.records.size(); ++i) {
    const proto::Event event = parse_event(path, records.records[i]);
    if (i == 0 && event.what_case() == proto::Event::kFileVersion)
      contents.file_version = event.file_version();
    if (event.what_case() != proto::Event::kSummary) continue;
    for (const auto& value : event.summary().value()) {
      if (value.value_case() == proto::Summary::Value::kSimpleValue)
        contents.scalars.push_back({value.tag(), event.step(), value.simple_value(), event.wall_time()});
      else if (value.value_case() == proto::Summary::Value::kHisto)
        contents.histograms.push_back(
            {value.tag(), event.step(), from_proto(value.histo()), event.wall_time()});
    }
  }
  return contents;
}

bool is_event_file_name(const std::string& name) {
  return name.rfind(kPrefix, 0) == 0 && name.find(".tmp-") == std::string::npos;
}

std::vector<std::string> list_event_files(const std::string& folder) {
  DIR* dir = ::opendir(folder.c_str());
  if (dir == nullptr) throw IoError("cannot list " + quoted(folder) + ": " + std::strerror(errno));
  std::vector<std::string> paths;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (is_event_file_name(name)) paths.push_back(folder + "/" + name);
  }
  ::closedir(dir);
  std::sort(paths.begin(), paths.end());
  return paths;
}

void remove_stale_temporaries(const std::string& folder) {
  DIR* dir = ::opendir(folder.c_str());
  if (dir == nullptr) throw IoError("cannot list " + quoted(folder) + ": " + std::strerror(errno));
  std::vector<std::string> stale;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.rfind(kPrefix, 0) == 0 && name.find(".tmp-") != std::string::npos)
      stale.push_back(folder + "/" + name);
  }
  ::closedir(dir);
  for (const auto& path : stale)
    if (std::remove(path.c_str()) != 0)
      throw IoError("cannot remove " + quoted(path) + ": " + std::strerror(errno));
}

EventFileWriter::EventFileWriter(std::string folder) : folder_(std::move(folder)) {}

EventFileWriter::~EventFileWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void EventFileWriter::add_scalar(const std::string& tag, std::int64_t step, double value) {
  proto::Event event;
  event.set_wall_time(now_seconds());
  event.set_step(step);
  auto* v = event.mutable_summary()->add_value();
  v->set_tag(tag);
  v->set_simple_value(static_cast<float>(value));
  pending_ += framed(event);
}

void EventFileWriter::add_histogram(const std::string& tag, std::int64_t step,
                                    const Histogram& histogram) {
  proto::Event event;
  event.set_wall_time(now_seconds());
  event.set_step(step);
  auto* v = event.mutable_summary()->add_value();
  v->set_tag(tag);
  to_proto(histogram, *v->mutable_histo());
  pending_ += framed(event);
}

void EventFileWriter::create_file() {
  // TensorBoard reads a run's files in name order, and the name starts with
  // the seconds: a file made in the same second as an existing one (a quick
  // resume) is named a second later, so that name order stays write order.
  long long seconds = static_cast<long long>(now_seconds());
  for (const auto& existing : list_event_files(folder_))
    seconds = std::max(seconds, seconds_of(existing) + 1);
  char host[256] = "localhost";
  if (::gethostname(host, sizeof host) != 0) std::strcpy(host, "localhost");
  host[sizeof host - 1] = '\0';
  static std::atomic<int> files_made{0};
  for (;;) {
    const std::string path = folder_ + "/" + kPrefix + std::to_string(seconds) + "." + host + "." +
                             std::to_string(::getpid()) + "." + std::to_string(files_made++);
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0666);
    if (fd_ >= 0) {
      path_ = path;
      break;
    }
    if (errno != EEXIST) throw IoError("cannot create " + quoted(path) + ": " + std::strerror(errno));
  }
  proto::Event first;
  first.set_wall_time(now_seconds());
  first.set_file_version(kFileVersion);
  pending_ = framed(first) + pending_;
}

void EventFileWriter::flush() {
  if (pending_.empty()) return;
  if (fd_ < 0) create_file();
  write_all(fd_, pending_, path_);
  pending_.clear();
}

void EventFileWriter::sync() {
  flush();
  if (fd_ >= 0 && ::fsync(fd_) != 0)
    throw IoError("cannot sync " + quoted(path_) + ": " + std::strerror(errno));
}

bool filter_event_file(const std::string& path, const KeepValue& keep) {
  const RecordFile records = read_record_file(path);
  bool changed = records.truncated_at >= 0;
  bool any_value = false;
  std::string kept;
  for (const Record& record : records.records) {
    proto::Event event = parse_event(path, record);
    if (event.what_case() == proto::Event::kSummary) {
      auto* values = event.mutable_summary()->mutable_value();
      const auto end = std::remove_if(values->begin(), values->end(), [&](const auto& value) {
        return !keep(value.tag(), event.step());
      });
      if (end != values->end()) {
        changed = true;
        values->erase(end, values->end());
        if (values->empty()) continue;
        kept += framed(event);
        any_value = true;
        continue;
      }
      any_value = any_value || !values->empty();
    }
    // Unchanged events keep their bytes.
    kept += frame_record(record.data);
  }
  if (!changed) return false;
  if (!any_value) {
    if (std::remove(path.c_str()) != 0)
      throw IoError("cannot remove " + quoted(path) + ": " + std::strerror(errno));
    return true;
  }
  write_file_atomically(path, kept.data(), kept.size());
  return true;
}

}  // namespace plifkit::tensorboard
