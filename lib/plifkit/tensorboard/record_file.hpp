// TFRecord framing, the container of TensorBoard's event files. Each record:
//   uint64 length (little-endian)
//   uint32 masked CRC-32C of those 8 length bytes (little-endian)
//   length bytes of data (a serialized Event)
//   uint32 masked CRC-32C of the data (little-endian)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace plifkit::tensorboard {

// The framed bytes of one record holding `data`.
std::string frame_record(const std::string& data);

struct Record {
  std::uint64_t offset = 0;  // byte offset of the record's length field in the file
  std::string data;
};

struct RecordFile {
  std::vector<Record> records;  // every complete record, in file order
  // Byte offset of an incomplete last record (a writer stopped in the middle
  // of it, or still writing it), -1 when the file ends on a record boundary.
  // TensorBoard waits for the rest of such a record; readers here skip it.
  std::int64_t truncated_at = -1;
};

// Reads every record of a file and checks both CRCs of each. Throws IoError
// when the file cannot be read, FormatError "'path': record at byte N: ..."
// when a CRC does not match.
RecordFile read_record_file(const std::string& path);

}  // namespace plifkit::tensorboard
