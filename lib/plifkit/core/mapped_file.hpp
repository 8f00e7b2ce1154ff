// A whole file mapped read-only into memory, for decoders that walk large
// binary inputs without copying them (AEDAT recordings).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace plifkit {

class MappedFile {
 public:
  // Maps the whole file. Throws IoError naming the file when it cannot be
  // opened, inspected or mapped. An empty file maps to size() == 0.
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace plifkit
