// Round trips through the HDF5 wrapper: what is written is read back exactly,
// and every malformed access is a FormatError naming the file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "plifkit/core/error.hpp"
#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/h5/stage_file.hpp"

namespace plifkit::h5 {
namespace {

std::string temp_name(const char* tag) {
  return testing::TempDir() + "plifkit_h5_" + tag + "_" + std::to_string(::getpid()) + ".h5";
}

TEST(H5, AttributesRoundTrip) {
  const std::string path = temp_name("attrs");
  {
    Handle f = create_file(path);
    write_attr<std::int32_t>(f.id(), "T", 20);
    write_attr<double>(f.id(), "lr", 1e-3);
    write_attr<std::uint8_t>(f.id(), "flag", 1);
    write_attr_string(f.id(), "name", "hand_clapping");
    write_attr_strings(f.id(), "names", {"a", "bé", ""});
    close_file(f, path);
  }
  Handle f = open_file(path);
  EXPECT_EQ(read_attr<std::int32_t>(f.id(), "T"), 20);
  EXPECT_EQ(read_attr<double>(f.id(), "lr"), 1e-3);
  EXPECT_EQ(read_attr<std::int64_t>(f.id(), "T"), 20);  // converted on read
  EXPECT_EQ(read_attr<std::uint8_t>(f.id(), "flag"), 1);
  EXPECT_EQ(read_attr_string(f.id(), "name"), "hand_clapping");
  EXPECT_EQ(read_attr_strings(f.id(), "names"), (std::vector<std::string>{"a", "bé", ""}));
  EXPECT_THROW(read_attr<int>(f.id(), "missing"), FormatError);
  EXPECT_THROW(read_attr<int>(f.id(), "name"), FormatError);
  EXPECT_THROW(read_attr_string(f.id(), "T"), FormatError);
  std::remove(path.c_str());
}

TEST(H5, DatasetsAndSlabsRoundTrip) {
  const std::string path = temp_name("data");
  {
    Handle f = create_file(path);
    Handle g = create_group(f.id(), "train");
    const std::vector<std::uint16_t> values = {1, 2, 3, 4, 5, 6};
    write_dataset<std::uint16_t>(g.id(), "m", Dims{2, 3}, values.data());
    write_strings(g.id(), "s", {"user01_led", "user02_natural"});
    Handle ds = create_dataset(g.id(), "chunked", H5T_NATIVE_FLOAT, Dims{3, 4},
                               DatasetOptions{Dims{1, 4}, 4});
    for (hsize_t row = 0; row < 3; ++row) {
      const float r[4] = {float(row), float(row) + 0.5f, -1.0f, 2.0f};
      write_slab<float>(ds.id(), Dims{row, 0}, Dims{1, 4}, r);
    }
    close_file(f, path);
  }
  Handle f = open_file(path);
  Dims dims;
  const auto m = read_dataset<std::uint16_t>(f.id(), "train/m", &dims);
  EXPECT_EQ(dims, (Dims{2, 3}));
  EXPECT_EQ(m, (std::vector<std::uint16_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(read_strings(f.id(), "train/s"),
            (std::vector<std::string>{"user01_led", "user02_natural"}));
  Handle ds = open_dataset(f.id(), "train/chunked");
  float row[4];
  read_slab<float>(ds.id(), Dims{2, 0}, Dims{1, 4}, row);
  EXPECT_EQ(row[0], 2.0f);
  EXPECT_EQ(row[1], 2.5f);
  EXPECT_THROW(read_slab<float>(ds.id(), Dims{3, 0}, Dims{1, 4}, row), FormatError);
  EXPECT_TRUE(exists(f.id(), "train/m"));
  EXPECT_FALSE(exists(f.id(), "nope/m"));
  EXPECT_EQ(member_names(open_group(f.id(), "train").id()),
            (std::vector<std::string>{"chunked", "m", "s"}));
  EXPECT_THROW(open_dataset(f.id(), "train/zz"), FormatError);
  std::remove(path.c_str());
}

TEST(H5, FormatStampIsChecked) {
  const std::string path = temp_name("stamp");
  {
    Handle f = create_file(path);
    write_format_stamp(f.id(), names::frames::kFormatName, 1);
    close_file(f, path);
  }
  Handle f = open_file(path);
  EXPECT_NO_THROW(require_format(f.id(), path, "plif-frames", 1));
  try {
    require_format(f.id(), path, "plif-checkpoint", 1);
    FAIL() << "expected FormatError";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("plif-frames"), std::string::npos);
  }
  std::remove(path.c_str());
}

TEST(H5, NonHdf5FileIsAFormatError) {
  const std::string path = temp_name("text");
  std::ofstream(path) << "not hdf5";
  EXPECT_THROW(open_file(path), FormatError);
  std::remove(path.c_str());
  EXPECT_THROW(open_file(path), IoError);
}

// Overwrites the first occurrence of `pattern` in the file with its bytes
// reversed (a different value of the same length).
void damage(const std::string& path, const std::string& pattern) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const auto at = bytes.find(pattern);
  ASSERT_NE(at, std::string::npos) << "pattern not in " << path;
  f.seekp(static_cast<std::streamoff>(at));
  f.write(std::string(pattern.rbegin(), pattern.rend()).data(),
          static_cast<std::streamsize>(pattern.size()));
}

template <typename T>
std::string bytes_of(const T* values, std::size_t n) {
  return std::string(reinterpret_cast<const char*>(values), n * sizeof(T));
}

TEST(H5, ChecksummedDatasetsRefuseDamagedData) {
  const std::vector<float> array = {1.25f, -3.5f, 7.75f, 1e-3f, 42.0f, 0.5f};
  const float scalar = 12345.678f;
  DatasetOptions checked;
  checked.checksum = true;
  for (const char* which : {"array", "scalar"}) {
    const std::string path = temp_name(which);
    {
      Handle f = create_file(path);
      write_dataset<float>(f.id(), "array", Dims{2, 3}, array.data(), checked);
      write_dataset<float>(f.id(), "scalar", Dims{}, &scalar, checked);
      close_file(f, path);
    }
    {
      Handle f = open_file(path);
      EXPECT_NO_THROW(verify_checksums(f.id()));
      EXPECT_EQ(read_dataset<float>(f.id(), "array"), array);
      EXPECT_EQ(read_dataset<double>(f.id(), "scalar"), std::vector<double>{scalar});
    }
    const bool is_array = std::string(which) == "array";
    damage(path, is_array ? bytes_of(array.data() + 1, 2) : bytes_of(&scalar, 1));
    Handle f = open_file(path);
    try {
      read_dataset<float>(f.id(), which);
      ADD_FAILURE() << "damaged " << which << " was read";
    } catch (const FormatError& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(is_array ? "cannot read dataset 'array'"
                                                    : "dataset 'scalar' is damaged"),
                std::string::npos)
          << e.what();
    }
    EXPECT_THROW(verify_checksums(f.id()), FormatError);
    // The other dataset is untouched and still reads.
    EXPECT_NO_THROW(read_dataset<float>(f.id(), is_array ? "scalar" : "array"));
    std::remove(path.c_str());
  }
}

}  // namespace
}  // namespace plifkit::h5
