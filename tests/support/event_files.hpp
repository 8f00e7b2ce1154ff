// Writers of tiny N-MNIST, CIFAR10-DVS and ASL-DVS files for the tests,
// written independently of the readers from the formats' descriptions
// (events/event_datasets.hpp), so that a reader bug cannot hide in a shared
// helper.
#pragma once

#include <matio.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace plifkit::test {

// One event in the coordinates the frame uses (reference orientation).
struct RawEvent {
  std::uint64_t t;
  int x, y, p;
};

inline void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// N-MNIST: x, y, then polarity in bit 7 and 23 bits of time, big end first.
inline void append_nmnist(std::vector<std::uint8_t>& out, int x, int y, int p, std::uint32_t t) {
  out.push_back(static_cast<std::uint8_t>(x));
  out.push_back(static_cast<std::uint8_t>(y));
  out.push_back(static_cast<std::uint8_t>((p << 7) | ((t >> 16) & 0x7F)));
  out.push_back(static_cast<std::uint8_t>(t >> 8));
  out.push_back(static_cast<std::uint8_t>(t));
}

inline std::vector<std::uint8_t> nmnist_bytes(const std::vector<RawEvent>& events) {
  std::vector<std::uint8_t> out;
  for (const auto& e : events) append_nmnist(out, e.x, e.y, e.p, static_cast<std::uint32_t>(e.t));
  return out;
}

inline void append_be32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(v >> s));
}

// CIFAR10-DVS: the address that the reference decodes to (x, y, p):
// x = 127 - x_raw, y = y_raw, p = 1 - bit 0.
inline std::uint32_t cifar_address(int x, int y, int p) {
  return (static_cast<std::uint32_t>(y) << 8) | (static_cast<std::uint32_t>(127 - x) << 1) |
         static_cast<std::uint32_t>(1 - p);
}

inline std::vector<std::uint8_t> cifar_bytes(const std::vector<RawEvent>& events,
                                             const std::string& header =
                                                 "#!AER-DAT2.0\r\n# This is a raw AE data file\r\n") {
  std::vector<std::uint8_t> out(header.begin(), header.end());
  for (const auto& e : events) {
    append_be32(out, cifar_address(e.x, e.y, e.p));
    append_be32(out, static_cast<std::uint32_t>(e.t));
  }
  return out;
}

// ASL-DVS: ts, x, y, pol as double column vectors (what MATLAB writes).
inline void write_asl_mat(const std::string& path, const std::vector<RawEvent>& events,
                          bool compress = false) {
  std::vector<double> ts, x, y, pol;
  for (const auto& e : events) {
    ts.push_back(static_cast<double>(e.t));
    x.push_back(e.x);
    y.push_back(e.y);
    pol.push_back(e.p);
  }
  mat_t* mat = Mat_CreateVer(path.c_str(), nullptr, MAT_FT_MAT5);
  std::size_t dims[2] = {events.size(), 1};
  for (auto [name, data] : {std::pair{"ts", &ts}, std::pair{"x", &x}, std::pair{"y", &y},
                            std::pair{"pol", &pol}}) {
    matvar_t* v = Mat_VarCreate(name, MAT_C_DOUBLE, MAT_T_DOUBLE, 2, dims, data->data(), 0);
    Mat_VarWrite(mat, v, compress ? MAT_COMPRESSION_ZLIB : MAT_COMPRESSION_NONE);
    Mat_VarFree(v);
  }
  Mat_Close(mat);
}

}  // namespace plifkit::test
