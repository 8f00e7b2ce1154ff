// A small checked layer over the HDF5 C API: one RAII owner for hid_t and one
// wrapper per call we use. Every failure throws FormatError or IoError naming
// the file and the object, so callers never test return codes.
//
// Strings are variable-length UTF-8; booleans are uint8 0/1 (formats.md).
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace plifkit::h5 {

// Owns one HDF5 identifier and closes it with the matching H5*close.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), closer_(closer) {}
  ~Handle() { reset(); }
  Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)), closer_(o.closer_) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, H5I_INVALID_HID);
      closer_ = o.closer_;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t id() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Gives up ownership without closing (for closes whose result matters).
  hid_t release() { return std::exchange(id_, H5I_INVALID_HID); }
  void reset() {
    if (id_ >= 0 && closer_ != nullptr) closer_(id_);
    id_ = H5I_INVALID_HID;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
  herr_t (*closer_)(hid_t) = nullptr;
};

// The HDF5 memory type of a C++ scalar type.
template <typename T>
hid_t native_type();

using Dims = std::vector<hsize_t>;

// --- files and groups -------------------------------------------------------

// Creates (truncating) a file for writing. Throws IoError.
Handle create_file(const std::string& path);
// Opens an existing file read-only (or read-write). Throws IoError when it
// cannot be opened, FormatError when it is not an HDF5 file.
Handle open_file(const std::string& path, bool writable = false);
// Flushes and closes; errors on close (e.g. disk full) throw IoError.
void close_file(Handle& file, const std::string& path);

Handle create_group(hid_t loc, const std::string& name);
Handle open_group(hid_t loc, const std::string& name);
bool exists(hid_t loc, const std::string& name);
// Names of the direct members of a group, in creation-independent name order.
std::vector<std::string> member_names(hid_t group);
// Reads every checksummed dataset under `group`, at any depth (see
// DatasetOptions::checksum): throws FormatError naming the first damaged one.
// For readers that use only part of a file but must not trust a damaged one.
void verify_checksums(hid_t group);

// The name of the file an object lives in, for messages.
std::string file_name(hid_t obj);

// --- attributes ---------------------------------------------------------------

bool has_attr(hid_t obj, const std::string& name);
template <typename T>
void write_attr(hid_t obj, const std::string& name, T value);
void write_attr_string(hid_t obj, const std::string& name, const std::string& value);
void write_attr_strings(hid_t obj, const std::string& name, const std::vector<std::string>& values);

// Readers convert from any stored numeric type the library can convert
// losslessly enough (HDF5 conversion); a missing attribute is a FormatError.
template <typename T>
T read_attr(hid_t obj, const std::string& name);
std::string read_attr_string(hid_t obj, const std::string& name);
std::vector<std::string> read_attr_strings(hid_t obj, const std::string& name);

// --- datasets -----------------------------------------------------------------

struct DatasetOptions {
  Dims chunk;           // empty: contiguous
  int deflate_level = 0;  // 0: no compression (needs chunk)
  bool shuffle = false;   // byte-shuffle filter before deflate (needs chunk)
  // Damage is found when reading: HDF5's Fletcher-32 filter on every chunk
  // (without a chunk given, the whole dataset is one chunk); a scalar, which
  // HDF5 cannot filter, carries a "crc32" attribute (CRC-32 of its value as
  // a little-endian IEEE double) that read_dataset checks.
  bool checksum = false;
};

// Whole-array write of a numeric dataset with the given shape.
template <typename T>
void write_dataset(hid_t loc, const std::string& name, const Dims& dims, const T* data,
                   const DatasetOptions& options = {});
template <typename T>
void write_vector(hid_t loc, const std::string& name, const std::vector<T>& data) {
  write_dataset<T>(loc, name, Dims{data.size()}, data.data());
}
void write_strings(hid_t loc, const std::string& name, const std::vector<std::string>& values);
// The same with a shape (row-major values; Dims{} and one value: a scalar string).
void write_strings(hid_t loc, const std::string& name, const Dims& dims,
                   const std::vector<std::string>& values);

// Creates an empty dataset to be filled by write_slab (e.g. one sample at a time).
Handle create_dataset(hid_t loc, const std::string& name, hid_t file_type, const Dims& dims,
                      const DatasetOptions& options);
// Writes a block starting at `offset` with extent `count` from contiguous memory.
template <typename T>
void write_slab(hid_t dataset, const Dims& offset, const Dims& count, const T* data);

// Stores one already-filtered chunk (all filters applied, in pipeline order)
// whose first element is at `offset`, bypassing HDF5's own filtering: lets
// callers compress chunks in parallel threads.
void write_chunk(hid_t dataset, const Dims& offset, const void* data, std::size_t size);

// The chunk shape of a chunked dataset; empty for a contiguous or compact one.
Dims chunk_dims(hid_t dataset);
// The filters of a dataset in the order they are applied on writing
// (H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE, ...).
std::vector<H5Z_filter_t> filters(hid_t dataset);
// HDF5 1.10 copies a whole chunk's worth of bytes out of a stored chunk that
// holds, or decodes to, fewer: a heap over-read on a damaged file. This
// checks every stored chunk of a chunked dataset before HDF5 reads it: stored
// with all filters applied, and of the chunk's size (once inflated, for
// deflate; shuffle keeps the size; other filters are refused). Does nothing
// for contiguous and compact datasets, whose size HDF5 checks itself.
// Throws FormatError naming the dataset `name`. read_dataset and
// read_strings call it.
void check_stored_chunks(hid_t dataset, const std::string& name);
// Reads the stored (still filtered) bytes of the chunk whose first element is
// at `offset` into `out`, bypassing HDF5's filters: the counterpart of
// write_chunk. Returns false when that chunk was never written. Throws
// FormatError ("cannot read ...") when the chunk index or the chunk cannot be
// read, the stored chunk is larger than `max_size` bytes, or it was stored
// with some of the dataset's filters skipped.
bool read_chunk(hid_t dataset, const Dims& offset, std::size_t max_size,
                std::vector<std::uint8_t>& out);

Handle open_dataset(hid_t loc, const std::string& name);
Dims dataset_dims(hid_t dataset);
// The stored element class and size, to check "uint16 vs float32" contracts.
H5T_class_t dataset_class(hid_t dataset);
std::size_t dataset_type_size(hid_t dataset);
// Whether the dataset is stored exactly as file_type (e.g. H5T_STD_U16LE:
// class, size and byte order).
bool stored_as(hid_t dataset, hid_t file_type);

template <typename T>
std::vector<T> read_dataset(hid_t loc, const std::string& name, Dims* dims_out = nullptr);
template <typename T>
void read_slab(hid_t dataset, const Dims& offset, const Dims& count, T* data);
std::vector<std::string> read_strings(hid_t loc, const std::string& name);
// Of any shape (a scalar: one string), the shape in *dims_out.
std::vector<std::string> read_strings(hid_t loc, const std::string& name, Dims* dims_out);

// Turns off HDF5's own error printing for the calling thread (we report
// errors ourselves; the setting is per thread in a thread-safe HDF5). Called
// by the entry points above that open, create, read or write; idempotent.
void silence_library_errors();

}  // namespace plifkit::h5
