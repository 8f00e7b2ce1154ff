// Round trips through the HDF5 wrapper: what is written is read back exactly,
// and every malformed access is a FormatError naming the file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

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

}  // namespace
}  // namespace plifkit::h5
