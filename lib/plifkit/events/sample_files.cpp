#include "plifkit/events/sample_files.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>

#include "plifkit/core/error.hpp"
#include "plifkit/datasets/file_layout.hpp"
#include "plifkit/datasets/registry.hpp"

namespace plifkit {
namespace {

namespace fs = std::filesystem;

std::string join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "<prefix><digits><suffix>" -> the digits' value.
std::optional<long> number_between(const std::string& name, std::string_view prefix,
                                   std::string_view suffix) {
  if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      !ends_with(name, suffix))
    return std::nullopt;
  const std::string_view digits(name.data() + prefix.size(),
                                name.size() - prefix.size() - suffix.size());
  if (digits.size() > 9) return std::nullopt;
  long value = 0;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// Numbers in [first, last) that `present` lacks.
std::uint64_t absent(long first, long last, const std::set<long>& present) {
  std::uint64_t n = 0;
  for (long i = first; i < last; ++i) n += present.count(i) == 0;
  return n;
}

// The folder and file names a dataset's row (FileLayout) accepts, and how a
// file's number places it in a split.
struct Layout {
  std::string dataset_name;
  std::vector<std::string> class_names;
  FileLayout files;

  // The number in a sample's file name, or nothing when the name is no
  // sample of class `class_name`.
  std::optional<long> number_of(const std::string& file, const std::string& class_name) const {
    return number_between(file, sample_name_prefix(files, class_name), files.suffix);
  }
  // Split of a numbered file (0 train, 1 test) where the folder does not say.
  int split_of(long number) const { return split_of_index(files, number); }
  // Files of class c in split s that a full download holds and `present`
  // (the numbers found) lacks.
  std::uint64_t missing(int split, int class_index, const std::set<long>& present) const {
    if (!files.split_dirs.empty()) {
      // The ids spread over the classes: only the counts are known.
      const auto& counts = split == 0 ? files.train_per_class : files.test_per_class;
      const auto n = static_cast<std::size_t>(counts.at(static_cast<std::size_t>(class_index)));
      return present.size() < n ? n - present.size() : 0;
    }
    return split == 0 ? absent(files.first_index, files.train_below, present)
                      : absent(files.train_below, files.first_index + files.files_per_class, present);
  }
};

Layout layout_of(Dataset dataset) {
  const DatasetRow& row = row_of(dataset);
  if (row.storage != Storage::file_per_sample)
    throw UsageError(std::string(name_of_choice(dataset)) +
                     " is not a one-file-per-sample event dataset");
  return {row.title, row.class_names, row.files};
}

// Zip tools' leftovers that are never part of a dataset.
bool hidden(const std::string& name) { return name.empty() || name[0] == '.' || name == "__MACOSX"; }

std::vector<fs::directory_entry> entries_of(const std::string& dir) {
  std::vector<fs::directory_entry> entries;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    entries.push_back(*it);
  if (ec) throw IoError("cannot list " + plifkit::quoted(dir) + ": " + ec.message());
  return entries;
}

bool is_dir(const fs::directory_entry& e) {
  std::error_code ec;
  return e.is_directory(ec);
}

class Lister {
 public:
  Lister(Layout layout, std::string dir) : layout_(std::move(layout)), dir_(std::move(dir)) {
    for (SampleSplit* s : {&listing_.train, &listing_.test})
      s->missing.assign(layout_.class_names.size(), 0);
    listing_.train.name = "train";
    listing_.test.name = "test";
  }

  SampleListing run() {
    if (!fs::is_directory(dir_))
      throw InputError(plifkit::quoted(dir_) + " is not a folder (expected a " +
                       std::string(layout_.dataset_name) + " folder)");
    if (layout_.files.split_dirs.empty()) {
      list_classes("", -1);
    } else {
      for (int s = 0; s < 2; ++s) {
        const std::string& split_dir = layout_.files.split_dirs[static_cast<std::size_t>(s)];
        if (!fs::is_directory(join(dir_, split_dir)))
          throw InputError(plifkit::quoted(dir_) + " has no " + split_dir + " folder (an " +
                           layout_.dataset_name + " folder holds " + layout_.files.split_dirs[0] +
                           "/ and " + layout_.files.split_dirs[1] + "/)");
        list_classes(split_dir + "/", s);
      }
    }
    for (int s = 0; s < 2; ++s) count_missing(s);
    for (SampleSplit* s : {&listing_.train, &listing_.test}) {
      std::sort(s->files.begin(), s->files.end(), [](const SampleFile& a, const SampleFile& b) {
        return std::tie(a.label, a.number, a.source) < std::tie(b.label, b.number, b.source);
      });
      if (s->files.empty())
        throw InputError("no " + s->name + " samples in " + plifkit::quoted(dir_) + " (expected " +
                         layout_.dataset_name + "'s layout, see docs/data-stage.md)");
    }
    std::sort(listing_.ignored.begin(), listing_.ignored.end());
    return std::move(listing_);
  }

 private:
  // The class folders under DIR/<prefix>; split -1: numbered files decide.
  void list_classes(const std::string& prefix, int split) {
    for (const auto& entry : entries_of(join(dir_, prefix))) {
      const std::string name = entry.path().filename().string();
      if (hidden(name) || !is_dir(entry)) {
        listing_.ignored.push_back(prefix + name);
        continue;
      }
      const auto c = std::find(layout_.class_names.begin(), layout_.class_names.end(), name);
      if (c == layout_.class_names.end())
        throw InputError("unknown class folder " + plifkit::quoted(join(dir_, prefix + name)) + ": " +
                         layout_.dataset_name + "'s classes are " + class_list() +
                         " (give the folder that holds the class folders)");
      list_files(prefix + name + "/", static_cast<int>(c - layout_.class_names.begin()), split);
    }
  }

  void list_files(const std::string& prefix, int class_index, int split) {
    const std::string& class_name = layout_.class_names[static_cast<std::size_t>(class_index)];
    for (const auto& entry : entries_of(join(dir_, prefix))) {
      const std::string name = entry.path().filename().string();
      const auto number = hidden(name) || is_dir(entry) ? std::nullopt
                                                        : layout_.number_of(name, class_name);
      if (!number) {
        listing_.ignored.push_back(prefix + name);
        continue;
      }
      const int s = split >= 0 ? split : layout_.split_of(*number);
      SampleFile f;
      f.source = prefix + name;
      f.path = join(dir_, f.source);
      f.label = static_cast<std::uint8_t>(class_index);
      f.number = *number;
      f.stamp = stamp_file(f.path, "sample");
      present_[s][class_index].insert(*number);
      (s == 0 ? listing_.train : listing_.test).files.push_back(std::move(f));
    }
  }

  void count_missing(int s) {
    SampleSplit& split = s == 0 ? listing_.train : listing_.test;
    for (std::size_t c = 0; c < layout_.class_names.size(); ++c)
      split.missing[c] = layout_.missing(s, static_cast<int>(c), present_[s][static_cast<int>(c)]);
  }

  std::string class_list() const {
    std::string s;
    for (std::size_t i = 0; i < layout_.class_names.size(); ++i)
      s += (i == 0 ? "" : ", ") + layout_.class_names[i];
    return s;
  }

  Layout layout_;
  std::string dir_;
  SampleListing listing_;
  std::map<int, std::set<long>> present_[2];  // split -> class -> numbers
};

}  // namespace

SampleListing list_sample_files(Dataset dataset, const std::string& dir) {
  return Lister(layout_of(dataset), dir).run();
}

}  // namespace plifkit
