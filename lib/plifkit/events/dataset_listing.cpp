#include "plifkit/events/dataset_listing.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "plifkit/core/error.hpp"
#include "plifkit/events/dvs_gesture.hpp"
#include "plifkit/events/text_lines.hpp"
#include "plifkit/events/trials.hpp"

namespace plifkit {
namespace {

SplitListing list_split(const std::string& dir, const std::string& name, const char* list_name) {
  SplitListing split;
  split.name = name;
  split.list_path = dvs_gesture::join(dir, list_name);
  split.list = stamp_file(split.list_path, "trials list");
  const auto entries = parse_trials(read_text_file(split.list_path), split.list_path);
  if (entries.empty())
    throw InputError("bad trials list " + quoted(split.list_path) + ": lists no recordings");
  for (const auto& e : entries) {
    RecordingFiles r;
    r.stem = e.stem;
    r.aedat_path = dvs_gesture::join(dir, dvs_gesture::aedat_name(e.stem));
    r.labels_path = dvs_gesture::join(dir, dvs_gesture::labels_name(e.stem));
    const std::string at =
        "bad trials list " + quoted(split.list_path) + " line " + std::to_string(e.line) + ": ";
    try {
      r.aedat = stamp_file(r.aedat_path, "recording");
      r.labels = stamp_file(r.labels_path, "labels file");
    } catch (const InputError& missing) {
      throw InputError(at + missing.what());
    }
    split.recordings.push_back(std::move(r));
  }
  // Byte order of the stem fixes the sample order of the output, whatever
  // order the list (or the file system) gives.
  std::sort(split.recordings.begin(), split.recordings.end(),
            [](const RecordingFiles& a, const RecordingFiles& b) { return a.stem < b.stem; });
  return split;
}

}  // namespace

DatasetListing list_dataset(const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT) throw InputError("dataset folder " + quoted(dir) + " does not exist");
    throw IoError("cannot open dataset folder " + quoted(dir) + ": " + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) throw InputError("dataset folder " + quoted(dir) + " is not a folder");
  if (::access(dir.c_str(), R_OK | X_OK) != 0)
    throw IoError("cannot open dataset folder " + quoted(dir) + ": " + std::strerror(errno));
  DatasetListing listing;
  listing.train = list_split(dir, "train", dvs_gesture::kTrainList);
  listing.test = list_split(dir, "test", dvs_gesture::kTestList);
  std::set<std::string> in_train;
  for (const auto& r : listing.train.recordings) in_train.insert(r.stem);
  for (const auto& r : listing.test.recordings)
    if (in_train.count(r.stem) != 0)
      throw InputError("bad trials list " + quoted(listing.test.list_path) + ": '" +
                       dvs_gesture::aedat_name(r.stem) + "' is also listed in " +
                       quoted(listing.train.list_path));
  return listing;
}

}  // namespace plifkit
