// dvs-synth --dataset NMNIST | CIFAR10DVS | ASLDVS: the files are read back
// with small decoders written here from the format descriptions (raw bytes
// for .bin and .aedat, libmatio for .mat), not with the library's readers
// or constants, and checked for layout, split, determinism, sane events,
// the promised awkward parts, and classes that can be told apart.
#include <dirent.h>
#include <gtest/gtest.h>
#include <matio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "plifkit/core/setting_error.hpp"
#include "plifkit/events/synth_event_datasets.hpp"
#include "support/remove_tree.hpp"

namespace plifkit {
namespace {

constexpr int kTrain = 4;  // samples_per_class in the fixtures
constexpr int kTest = 1;   // about kTrain / 4
constexpr int kEvents = 400;

const std::vector<std::string> kCifarClasses = {"airplane", "automobile", "bird",  "cat",  "deer",
                                                "dog",      "frog",       "horse", "ship", "truck"};
const std::string kAslLetters = "abcdefghiklmnopqrstuvwxy";  // no j, no z

struct Ev {
  std::uint64_t t = 0;
  int x = 0, y = 0, p = 0;
};

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string> list(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return names;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

// Every file under dir, as paths relative to it.
void walk(const std::string& dir, const std::string& rel, std::vector<std::string>& out) {
  for (const auto& name : list(dir + "/" + rel)) {
    const std::string r = rel.empty() ? name : rel + "/" + name;
    struct stat st;
    ::stat((dir + "/" + r).c_str(), &st);
    if (S_ISDIR(st.st_mode))
      walk(dir, r, out);
    else
      out.push_back(r);
  }
}

// --- N-MNIST .bin: x, y, polarity bit + 23-bit time, big-endian -------------

struct BinFile {
  std::vector<Ev> events;
  int markers = 0;
  bool stored_time_drops = false;  // an event's raw 23-bit time is below the previous event's
};

BinFile decode_bin(const std::vector<std::uint8_t>& b) {
  EXPECT_EQ(b.size() % 5, 0u);
  BinFile f;
  std::uint64_t added = 0;
  std::uint32_t previous = 0;
  for (std::size_t i = 0; i + 5 <= b.size(); i += 5) {
    const std::uint32_t raw = static_cast<std::uint32_t>(b[i + 2] & 0x7F) << 16 |
                              static_cast<std::uint32_t>(b[i + 3]) << 8 | b[i + 4];
    if (b[i + 1] == 240) {  // overflow marker: later events are 2^13 us later
      ++f.markers;
      added += 8192;
      continue;
    }
    f.stored_time_drops |= !f.events.empty() && raw < previous;
    previous = raw;
    f.events.push_back({raw + added, b[i], b[i + 1], b[i + 2] >> 7});
  }
  return f;
}

// --- CIFAR10-DVS .aedat (AEDAT 2.0) ------------------------------------------

struct AedatFile {
  std::vector<std::string> header;  // without line ends
  int crlf_lines = 0, lf_lines = 0;
  std::vector<Ev> events;
  int special = 0;  // address bit 31 set
};

std::uint32_t be32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}

AedatFile decode_aedat2(const std::vector<std::uint8_t>& b) {
  AedatFile f;
  std::size_t pos = 0;
  while (pos < b.size() && b[pos] == '#') {
    std::size_t end = pos;
    while (end < b.size() && b[end] != '\n') ++end;
    const bool cr = end > pos && b[end - 1] == '\r';
    (cr ? f.crlf_lines : f.lf_lines) += 1;
    f.header.emplace_back(b.begin() + static_cast<long>(pos), b.begin() + static_cast<long>(end - cr));
    pos = end + 1;
  }
  EXPECT_EQ((b.size() - pos) % 8, 0u);
  for (; pos + 8 <= b.size(); pos += 8) {
    const std::uint32_t a = be32(&b[pos]);
    f.special += (a >> 31) != 0;
    // The reference decoder, special events included.
    f.events.push_back({be32(&b[pos + 4]), 127 - static_cast<int>((a & 0xFE) >> 1),
                        static_cast<int>((a & 0x7F00) >> 8), 1 - static_cast<int>(a & 1)});
  }
  return f;
}

// --- ASL-DVS .mat ---------------------------------------------------------------

struct MatVar {
  matio_classes cls = MAT_C_EMPTY;
  std::size_t rows = 0, cols = 0;
  std::vector<double> values;
};

template <typename T>
void copy_values(const matvar_t* v, std::vector<double>& out) {
  const T* p = static_cast<const T*>(v->data);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<double>(p[i]);
}

std::map<std::string, MatVar> read_mat(const std::string& path) {
  std::map<std::string, MatVar> vars;
  mat_t* mat = Mat_Open(path.c_str(), MAT_ACC_RDONLY);
  EXPECT_NE(mat, nullptr) << path;
  if (mat == nullptr) return vars;
  for (const char* name : {"ts", "x", "y", "pol"}) {
    matvar_t* v = Mat_VarRead(mat, name);
    EXPECT_NE(v, nullptr) << path << " " << name;
    if (v == nullptr) continue;
    MatVar& m = vars[name];
    m.cls = v->class_type;
    EXPECT_EQ(v->rank, 2);
    m.rows = v->dims[0];
    m.cols = v->dims[1];
    m.values.resize(m.rows * m.cols);
    switch (v->class_type) {
      case MAT_C_DOUBLE: copy_values<double>(v, m.values); break;
      case MAT_C_SINGLE: copy_values<float>(v, m.values); break;
      case MAT_C_UINT8: copy_values<std::uint8_t>(v, m.values); break;
      case MAT_C_UINT16: copy_values<std::uint16_t>(v, m.values); break;
      case MAT_C_INT32: copy_values<std::int32_t>(v, m.values); break;
      case MAT_C_INT64: copy_values<std::int64_t>(v, m.values); break;
      default: ADD_FAILURE() << path << " " << name << ": unexpected class " << v->class_type;
    }
    Mat_VarFree(v);
  }
  Mat_Close(mat);
  return vars;
}

std::vector<Ev> mat_events(const std::map<std::string, MatVar>& vars) {
  std::vector<Ev> events;
  if (vars.size() != 4) return events;
  const std::size_t n = vars.at("ts").values.size();
  for (const char* name : {"x", "y", "pol"}) EXPECT_EQ(vars.at(name).values.size(), n);
  for (std::size_t i = 0; i < n && i < vars.at("pol").values.size(); ++i)
    events.push_back({static_cast<std::uint64_t>(vars.at("ts").values[i]),
                      static_cast<int>(vars.at("x").values[i]), static_cast<int>(vars.at("y").values[i]),
                      static_cast<int>(vars.at("pol").values[i])});
  return events;
}

// MATLAB 5: a 128-byte header, then data elements; type 15 is miCOMPRESSED.
bool first_element_compressed(const std::vector<std::uint8_t>& b) {
  return b.size() >= 132 && b[128] == 15 && b[129] == 0 && b[130] == 0 && b[131] == 0;
}

// --- checks shared by the formats ------------------------------------------------

void expect_sane(const std::vector<Ev>& events, int width, int height, const std::string& what) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Ev& e = events[i];
    ASSERT_TRUE(e.x >= 0 && e.x < width && e.y >= 0 && e.y < height)
        << what << " event " << i << " at (" << e.x << ", " << e.y << ")";
    ASSERT_TRUE(e.p == 0 || e.p == 1) << what << " event " << i;
    if (i > 0) {
      ASSERT_LE(events[i - 1].t, e.t) << what << " event " << i;
    }
  }
}

bool has_tie(const std::vector<Ev>& events) {
  for (std::size_t i = 1; i < events.size(); ++i)
    if (events[i].t == events[i - 1].t) return true;
  return false;
}

// A learnability proxy: each file reduced to the mean place of its events,
// classified by the nearest class mean of the train files. Returns the test
// accuracy; also checks that no two classes share a mean place.
struct Centroids {
  std::map<int, std::pair<double, double>> sum;
  std::map<int, int> count;
  std::vector<std::pair<int, std::pair<double, double>>> tests;

  static std::pair<double, double> mean(const std::vector<Ev>& events) {
    double x = 0, y = 0;
    for (const Ev& e : events) x += e.x, y += e.y;
    return {x / static_cast<double>(events.size()), y / static_cast<double>(events.size())};
  }
  void add(int label, bool train, const std::vector<Ev>& events) {
    if (events.size() < 100) return;  // the awkward few-event files say little
    const auto m = mean(events);
    if (!train) {
      tests.push_back({label, m});
      return;
    }
    sum[label].first += m.first;
    sum[label].second += m.second;
    count[label] += 1;
  }
  double accuracy(double min_class_distance) const {
    std::map<int, std::pair<double, double>> means;
    for (const auto& [label, s] : sum) means[label] = {s.first / count.at(label), s.second / count.at(label)};
    auto d2 = [](std::pair<double, double> a, std::pair<double, double> b) {
      return (a.first - b.first) * (a.first - b.first) + (a.second - b.second) * (a.second - b.second);
    };
    for (const auto& [a, ma] : means)
      for (const auto& [b, mb] : means)
        if (a < b) {
          EXPECT_GT(d2(ma, mb), min_class_distance * min_class_distance) << a << " vs " << b;
        }
    int right = 0;
    for (const auto& [label, m] : tests) {
      int best = -1;
      for (const auto& [c, mc] : means)
        if (best < 0 || d2(m, mc) < d2(m, means.at(best))) best = c;
      right += best == label;
    }
    return tests.empty() ? 0 : static_cast<double>(right) / static_cast<double>(tests.size());
  }
};

// --- fixture: each dataset written plain, again with the same seed, with
// another seed, and awkward ---------------------------------------------------

class SynthEventDatasets : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = testing::TempDir() + "plifkit_synth_events_" + std::to_string(::getpid());
    ::mkdir(root_.c_str(), 0777);
    for (const auto& [name, dataset] :
         {std::pair<std::string, Dataset>{"nmnist", Dataset::NMNIST},
          {"cifar", Dataset::CIFAR10DVS},
          {"asl", Dataset::ASLDVS}}) {
      EventSynthOptions o;
      o.samples_per_class = kTrain;
      o.events_per_sample = kEvents;
      o.seed = 7;
      synthesize_event_dataset(dataset, dir(name, "plain"), o);
      synthesize_event_dataset(dataset, dir(name, "again"), o);
      o.seed = 8;
      synthesize_event_dataset(dataset, dir(name, "seed8"), o);
      o.seed = 7;
      o.awkward = true;
      synthesize_event_dataset(dataset, dir(name, "awkward"), o);
    }
  }
  static void TearDownTestSuite() { nn::remove_tree(root_); }

  static std::string dir(const std::string& dataset, const std::string& variant) {
    return root_ + "/" + dataset + "_" + variant;
  }

  static void expect_same_files(const std::string& dataset) {
    std::vector<std::string> a, b, c;
    walk(dir(dataset, "plain"), "", a);
    walk(dir(dataset, "again"), "", b);
    walk(dir(dataset, "seed8"), "", c);
    ASSERT_EQ(a, b);
    ASSERT_EQ(a, c);
    int differ = 0;
    for (const auto& rel : a) {
      const auto bytes = read_bytes(dir(dataset, "plain") + "/" + rel);
      EXPECT_EQ(bytes, read_bytes(dir(dataset, "again") + "/" + rel)) << rel;
      differ += bytes != read_bytes(dir(dataset, "seed8") + "/" + rel);
    }
    EXPECT_EQ(differ, static_cast<int>(a.size())) << "files the seed does not change";
    for (const auto& rel : a) EXPECT_EQ(rel.find(".tmp-"), std::string::npos) << rel;
  }

  static std::string root_;
};
std::string SynthEventDatasets::root_;

// --- N-MNIST -----------------------------------------------------------------

TEST_F(SynthEventDatasets, NmnistLayoutAndIds) {
  for (const char* variant : {"plain", "awkward"}) {
    const std::string d = dir("nmnist", variant);
    ASSERT_EQ(list(d), (std::vector<std::string>{"Test", "Train"}));
    for (const char* split : {"Train", "Test"}) {
      ASSERT_EQ(list(d + "/" + split),
                (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
      std::set<std::string> ids;
      for (int digit = 0; digit < 10; ++digit) {
        const auto files = list(d + "/" + split + "/" + std::to_string(digit));
        int want = std::string(split) == "Train" ? kTrain : kTest;
        if (std::string(variant) == "awkward" && std::string(split) == "Train" && digit == 9) --want;
        EXPECT_EQ(static_cast<int>(files.size()), want) << variant << " " << split << " " << digit;
        for (const auto& f : files) {
          EXPECT_TRUE(std::regex_match(f, std::regex("[0-9]{5}\\.bin"))) << f;
          EXPECT_TRUE(ids.insert(f).second) << "id used twice in " << split << ": " << f;
        }
      }
    }
  }
}

TEST_F(SynthEventDatasets, NmnistDeterministic) { expect_same_files("nmnist"); }

TEST_F(SynthEventDatasets, NmnistEventsAndLearnable) {
  Centroids centroids;
  for (const char* split : {"Train", "Test"}) {
    for (int digit = 0; digit < 10; ++digit) {
      const std::string folder = dir("nmnist", "plain") + "/" + split + "/" + std::to_string(digit);
      for (const auto& f : list(folder)) {
        const BinFile bin = decode_bin(read_bytes(folder + "/" + f));
        EXPECT_EQ(bin.markers, 0) << f;
        EXPECT_EQ(bin.events.size(), static_cast<std::size_t>(kEvents)) << f;
        expect_sane(bin.events, 34, 34, folder + "/" + f);
        // ~300 ms: three saccades.
        EXPECT_GT(bin.events.back().t - bin.events.front().t, 250000u) << f;
        EXPECT_LT(bin.events.back().t, 320000u) << f;
        centroids.add(digit, std::string(split) == "Train", bin.events);
      }
    }
  }
  EXPECT_GE(centroids.accuracy(3.0), 0.8);
}

TEST_F(SynthEventDatasets, NmnistAwkwardParts) {
  int marker_files = 0, few = 0, empty = 0, ties = 0;
  for (const char* split : {"Train", "Test"}) {
    for (int digit = 0; digit < 10; ++digit) {
      const std::string folder = dir("nmnist", "awkward") + "/" + split + "/" + std::to_string(digit);
      for (const auto& f : list(folder)) {
        const auto bytes = read_bytes(folder + "/" + f);
        const BinFile bin = decode_bin(bytes);
        // Times are non-decreasing only with the marker's 2^13 us added.
        expect_sane(bin.events, 34, 34, folder + "/" + f);
        if (bin.markers > 0) {
          ++marker_files;
          EXPECT_TRUE(bin.stored_time_drops) << f << ": the marker changes nothing";
        }
        empty += bytes.empty();
        few += !bytes.empty() && bin.events.size() < 20;
        ties += has_tie(bin.events);
      }
    }
  }
  EXPECT_GE(marker_files, 1);
  EXPECT_GE(few, 1);
  EXPECT_GE(empty, 1);
  EXPECT_GE(ties, 1);
}

// --- CIFAR10-DVS -------------------------------------------------------------

int cifar_index(const std::string& file, const std::string& cls) {
  std::smatch m;
  const std::regex pattern("cifar10_" + cls + "_(0|[1-9][0-9]*)\\.aedat");
  if (!std::regex_match(file, m, pattern)) {
    ADD_FAILURE() << "bad name " << file;
    return -1;
  }
  return std::stoi(m[1]);
}

TEST_F(SynthEventDatasets, CifarLayoutAndSplit) {
  for (const char* variant : {"plain", "awkward"}) {
    const std::string d = dir("cifar", variant);
    auto sorted = kCifarClasses;
    std::sort(sorted.begin(), sorted.end());
    ASSERT_EQ(list(d), sorted);
    for (const auto& cls : kCifarClasses) {
      int train = 0, test = 0;
      for (const auto& f : list(d + "/" + cls)) {
        const int i = cifar_index(f, cls);
        EXPECT_LT(i, 1000) << f;
        (i < 900 ? train : test) += 1;
      }
      EXPECT_EQ(train, kTrain) << variant << " " << cls;
      EXPECT_EQ(test, kTest) << variant << " " << cls;
    }
  }
}

TEST_F(SynthEventDatasets, CifarDeterministic) { expect_same_files("cifar"); }

TEST_F(SynthEventDatasets, CifarEventsAndLearnable) {
  Centroids centroids;
  for (int c = 0; c < 10; ++c) {
    const std::string folder = dir("cifar", "plain") + "/" + kCifarClasses[static_cast<std::size_t>(c)];
    for (const auto& f : list(folder)) {
      const AedatFile a = decode_aedat2(read_bytes(folder + "/" + f));
      ASSERT_GE(a.header.size(), 2u) << f;
      EXPECT_EQ(a.header[0], "#!AER-DAT2.0") << f;
      EXPECT_EQ(a.lf_lines, 0) << f;
      EXPECT_EQ(a.special, 0) << f;
      EXPECT_EQ(a.events.size(), static_cast<std::size_t>(kEvents)) << f;
      expect_sane(a.events, 128, 128, folder + "/" + f);
      EXPECT_GT(a.events.front().t, 1000000u) << f << ": times should be absolute";
      centroids.add(c, cifar_index(f, kCifarClasses[static_cast<std::size_t>(c)]) < 900, a.events);
    }
  }
  EXPECT_GE(centroids.accuracy(8.0), 0.8);
}

TEST_F(SynthEventDatasets, CifarAwkwardParts) {
  std::size_t plain_header_lines = 0;
  {
    const std::string f = dir("cifar", "plain") + "/dog/cifar10_dog_0.aedat";
    plain_header_lines = decode_aedat2(read_bytes(f)).header.size();
  }
  int special = 0, extra_line = 0, lf_only = 0, ties = 0, few = 0;
  for (const auto& cls : kCifarClasses) {
    const std::string folder = dir("cifar", "awkward") + "/" + cls;
    for (const auto& f : list(folder)) {
      const AedatFile a = decode_aedat2(read_bytes(folder + "/" + f));
      expect_sane(a.events, 128, 128, folder + "/" + f);
      special += a.special > 0;
      extra_line += a.header.size() > plain_header_lines;
      lf_only += a.lf_lines > 0 && a.crlf_lines == 0;
      ties += has_tie(a.events);
      few += a.events.size() < 20;
    }
  }
  EXPECT_GE(special, 1);
  EXPECT_GE(extra_line, 1);
  EXPECT_GE(lf_only, 1);
  EXPECT_GE(ties, 1);
  EXPECT_GE(few, 1);
}

// --- ASL-DVS -----------------------------------------------------------------

int asl_index(const std::string& file, char letter) {
  std::smatch m;
  if (!std::regex_match(file, m, std::regex(std::string(1, letter) + "_([0-9]{4})\\.mat"))) {
    ADD_FAILURE() << "bad name " << file;
    return -1;
  }
  return std::stoi(m[1]);
}

TEST_F(SynthEventDatasets, AslLayoutAndSplit) {
  for (const char* variant : {"plain", "awkward"}) {
    const std::string d = dir("asl", variant);
    std::vector<std::string> letters;
    for (char l : kAslLetters) letters.emplace_back(1, l);
    ASSERT_EQ(list(d), letters);
    for (char l : kAslLetters) {
      std::vector<int> train;
      int test = 0;
      for (const auto& f : list(d + "/" + std::string(1, l))) {
        const int i = asl_index(f, l);
        EXPECT_TRUE(i >= 1 && i <= 4200) << f;
        if (i <= 3360)
          train.push_back(i);
        else
          ++test;
      }
      std::vector<int> want;
      for (int i = 1; i <= kTrain; ++i)
        if (!(std::string(variant) == "awkward" && l == 'e' && i == 2)) want.push_back(i);
      EXPECT_EQ(train, want) << variant << " " << l;
      EXPECT_EQ(test, kTest) << variant << " " << l;
    }
  }
}

TEST_F(SynthEventDatasets, AslDeterministic) { expect_same_files("asl"); }

TEST_F(SynthEventDatasets, AslEventsAndLearnable) {
  Centroids centroids;
  for (std::size_t c = 0; c < kAslLetters.size(); ++c) {
    const std::string folder = dir("asl", "plain") + "/" + std::string(1, kAslLetters[c]);
    for (const auto& f : list(folder)) {
      const std::string path = folder + "/" + f;
      const auto vars = read_mat(path);
      ASSERT_EQ(vars.size(), 4u) << path;
      for (const auto& [name, v] : vars) {
        EXPECT_EQ(v.cls, MAT_C_DOUBLE) << path << " " << name;
        EXPECT_EQ(v.rows, static_cast<std::size_t>(kEvents)) << path << " " << name;
        EXPECT_EQ(v.cols, 1u) << path << " " << name;
      }
      EXPECT_FALSE(first_element_compressed(read_bytes(path))) << path;
      const auto events = mat_events(vars);
      expect_sane(events, 240, 180, path);
      centroids.add(static_cast<int>(c), asl_index(f, kAslLetters[c]) <= 3360, events);
    }
  }
  EXPECT_GE(centroids.accuracy(10.0), 0.8);
}

TEST_F(SynthEventDatasets, AslAwkwardParts) {
  std::set<matio_classes> classes;
  int rows = 0, compressed = 0, files = 0;
  for (char l : kAslLetters) {
    const std::string folder = dir("asl", "awkward") + "/" + std::string(1, l);
    for (const auto& f : list(folder)) {
      const std::string path = folder + "/" + f;
      const auto vars = read_mat(path);
      ASSERT_EQ(vars.size(), 4u) << path;
      bool row = false;
      for (const auto& [name, v] : vars) {
        classes.insert(v.cls);
        row |= v.rows == 1 && v.cols > 1;
      }
      rows += row;
      compressed += first_element_compressed(read_bytes(path));
      ++files;
      expect_sane(mat_events(vars), 240, 180, path);
    }
  }
  for (const matio_classes c : {MAT_C_DOUBLE, MAT_C_SINGLE, MAT_C_UINT8, MAT_C_UINT16}) EXPECT_EQ(classes.count(c), 1u) << c;
  EXPECT_TRUE(classes.count(MAT_C_INT32) + classes.count(MAT_C_INT64) > 0);
  EXPECT_GE(rows, 1);
  EXPECT_GE(compressed, 1);
  EXPECT_LT(compressed, files);
}

// --- across formats ----------------------------------------------------------

// Mean place of each class's events relative to the sensor: (x / width, y / height).
std::map<int, std::pair<double, double>> relative_class_means(
    const std::map<int, std::vector<Ev>>& by_class, int width, int height) {
  std::map<int, std::pair<double, double>> means;
  for (const auto& [c, events] : by_class) {
    const auto m = Centroids::mean(events);
    means[c] = {m.first / width, m.second / height};
  }
  return means;
}

// N-MNIST and CIFAR10-DVS both have 10 classes, drawn the same way: a class
// sits in the same relative place in both unless one format's coordinates
// are encoded wrongly (a mirrored or swapped axis).
TEST_F(SynthEventDatasets, TenClassFormatsAgreeOnPlaces) {
  std::map<int, std::vector<Ev>> nmnist, cifar;
  for (int c = 0; c < 10; ++c) {
    const std::string n = dir("nmnist", "plain") + "/Train/" + std::to_string(c);
    for (const auto& f : list(n)) {
      const auto events = decode_bin(read_bytes(n + "/" + f)).events;
      nmnist[c].insert(nmnist[c].end(), events.begin(), events.end());
    }
    const std::string a = dir("cifar", "plain") + "/" + kCifarClasses[static_cast<std::size_t>(c)];
    for (const auto& f : list(a)) {
      const auto events = decode_aedat2(read_bytes(a + "/" + f)).events;
      cifar[c].insert(cifar[c].end(), events.begin(), events.end());
    }
  }
  const auto pn = relative_class_means(nmnist, 34, 34);
  const auto pc = relative_class_means(cifar, 128, 128);
  for (int c = 0; c < 10; ++c) {
    EXPECT_NEAR(pn.at(c).first, pc.at(c).first, 0.06) << "class " << c;
    EXPECT_NEAR(pn.at(c).second, pc.at(c).second, 0.06) << "class " << c;
  }
}

// --- options ------------------------------------------------------------------

TEST(SynthEventDatasetsOptions, RefusesImagesAndOutOfRange) {
  EventSynthOptions o;
  for (const Dataset d : {Dataset::MNIST, Dataset::FashionMNIST, Dataset::CIFAR10}) {
    try {
      validate(d, o);
      ADD_FAILURE() << "accepted an image dataset";
    } catch (const SettingError& e) {
      EXPECT_NE(std::string(e.what()).find("not event data"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(validate(Dataset::DVS128Gesture, o), SettingError);
  o.samples_per_class = 0;
  EXPECT_THROW(validate(Dataset::NMNIST, o), SettingError);
  // CIFAR10-DVS has 100 test indices per class (900..999): 401 train files
  // ask for 100 test files, 402 for 101.
  o.samples_per_class = 401;
  EXPECT_NO_THROW(validate(Dataset::CIFAR10DVS, o));
  o.samples_per_class = 402;
  EXPECT_THROW(validate(Dataset::CIFAR10DVS, o), SettingError);
  o.samples_per_class = 8;
  o.events_per_sample = 0;
  EXPECT_THROW(validate(Dataset::ASLDVS, o), SettingError);
  EXPECT_EQ(test_files_per_class(1), 1);
  EXPECT_EQ(test_files_per_class(8), 2);
  EXPECT_EQ(test_files_per_class(401), 100);
}

}  // namespace
}  // namespace plifkit
