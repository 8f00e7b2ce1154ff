#include "plifkit/h5/h5.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <zlib.h>

#include "plifkit/core/error.hpp"
#include "plifkit/core/zlib_inflate.hpp"

namespace plifkit::h5 {

template <> hid_t native_type<std::uint8_t>() { return H5T_NATIVE_UINT8; }
template <> hid_t native_type<std::uint16_t>() { return H5T_NATIVE_UINT16; }
template <> hid_t native_type<std::uint32_t>() { return H5T_NATIVE_UINT32; }
template <> hid_t native_type<std::uint64_t>() { return H5T_NATIVE_UINT64; }
template <> hid_t native_type<std::int32_t>() { return H5T_NATIVE_INT32; }
template <> hid_t native_type<std::int64_t>() { return H5T_NATIVE_INT64; }
template <> hid_t native_type<float>() { return H5T_NATIVE_FLOAT; }
template <> hid_t native_type<double>() { return H5T_NATIVE_DOUBLE; }

namespace {

// HDF5 normally closes every file still open at exit. After a failed write
// (disk full, file too large) the file cannot be closed, and HDF5 1.10
// crashes on it at exit (H5F__close_cb), turning the tool's clean error into
// a segmentation fault. Every file this project writes is closed explicitly
// before it is committed, so the exit handler has no work left that matters:
// it is turned off before the library initialises itself.
[[maybe_unused]] const bool g_no_exit_handler = [] {
  H5dont_atexit();
  return true;
}();

}  // namespace

void silence_library_errors() {
  // The error printing setting is per thread in a thread-safe HDF5 (Debian's
  // is), so every thread that calls HDF5 turns it off once.
  thread_local bool silenced = false;
  if (silenced) return;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  silenced = true;
}

std::string file_name(hid_t obj) {
  const ssize_t n = H5Fget_name(obj, nullptr, 0);
  if (n <= 0) return "?";
  std::string name(static_cast<std::size_t>(n), '\0');
  if (H5Fget_name(obj, name.data(), name.size() + 1) < 0) return "?";
  return name;
}

namespace {

[[noreturn]] void fail(hid_t obj, const std::string& what) {
  throw FormatError(quoted(file_name(obj)) + ": " + what);
}

hid_t check(hid_t id, hid_t obj, const std::string& what) {
  if (id < 0) fail(obj, what);
  return id;
}

void check(herr_t rc, hid_t obj, const std::string& what) {
  if (rc < 0) fail(obj, what);
}

// For calls that build HDF5 objects in memory (types, spaces, property
// lists): they fail only when HDF5 itself is broken or out of memory.
[[noreturn]] void library_failed(const char* call) {
  throw Error(std::string("HDF5 library call ") + call + " failed (out of memory?)");
}
hid_t require(hid_t id, const char* call) {
  if (id < 0) library_failed(call);
  return id;
}
void require(herr_t rc, const char* call) {
  if (rc < 0) library_failed(call);
}

// For calls that write to the file; errno must be cleared before the call.
// HDF5's file driver leaves the reason of a failed write(2) in errno (no
// space, file too large, I/O error): then the error is the system's, an
// IoError with that reason; without one it is an HDF5 failure as above.
void check_write(herr_t rc, hid_t obj, const std::string& what) {
  if (rc >= 0) return;
  const int reason = errno;
  if (reason != 0) throw IoError(quoted(file_name(obj)) + ": " + what + ": " + std::strerror(reason));
  fail(obj, what);
}

Handle string_type() {
  Handle t(require(H5Tcopy(H5T_C_S1), "H5Tcopy"), H5Tclose);
  require(H5Tset_size(t.id(), H5T_VARIABLE), "H5Tset_size");
  require(H5Tset_cset(t.id(), H5T_CSET_UTF8), "H5Tset_cset");
  return t;
}

Handle scalar_space() { return Handle(require(H5Screate(H5S_SCALAR), "H5Screate"), H5Sclose); }

Handle simple_space(const Dims& dims) {
  if (dims.empty()) return scalar_space();
  return Handle(require(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                        "H5Screate_simple"),
                H5Sclose);
}

Handle dataset_creation_list(const Dims& dims, const DatasetOptions& options) {
  Handle plist(require(H5Pcreate(H5P_DATASET_CREATE), "H5Pcreate"), H5Pclose);
  // No object timestamps: the same content must give the same bytes.
  require(H5Pset_obj_track_times(plist.id(), false), "H5Pset_obj_track_times");
  Dims chunk = options.chunk;
  const bool empty = std::find(dims.begin(), dims.end(), hsize_t{0}) != dims.end();
  if (options.checksum && chunk.empty() && !empty) chunk = dims;
  if (!chunk.empty() && !dims.empty()) {
    require(H5Pset_chunk(plist.id(), static_cast<int>(chunk.size()), chunk.data()), "H5Pset_chunk");
    if (options.shuffle) require(H5Pset_shuffle(plist.id()), "H5Pset_shuffle");
    if (options.deflate_level > 0)
      require(H5Pset_deflate(plist.id(), static_cast<unsigned>(options.deflate_level)), "H5Pset_deflate");
    // Last in the pipeline: the sum covers the bytes as stored.
    if (options.checksum) require(H5Pset_fletcher32(plist.id()), "H5Pset_fletcher32");
  }
  return plist;
}

constexpr const char* kScalarChecksum = "crc32";

// The scalar checksum: CRC-32 of the value as a little-endian IEEE double,
// so it does not depend on the type the value is read as.
template <typename T>
std::uint32_t scalar_checksum(T value) {
  const double v = static_cast<double>(value);
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  unsigned char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(bits >> (8 * i));
  return static_cast<std::uint32_t>(crc32(0L, bytes, sizeof bytes));
}

// Frees the strings HDF5 allocated for a variable-length read.
void reclaim(hid_t type, hid_t space, std::vector<char*>& buf) {
  require(H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf.data()), "H5Dvlen_reclaim");
}

}  // namespace

Handle create_file(const std::string& path) {
  silence_library_errors();
  errno = 0;
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0)
    throw IoError("cannot create " + quoted(path) + (errno != 0 ? ": " + std::string(std::strerror(errno)) : ""));
  return Handle(id, H5Fclose);
}

Handle open_file(const std::string& path, bool writable) {
  silence_library_errors();
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw IoError("cannot open " + quoted(path) + ": it is a folder");
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    std::fclose(f);
  } else {
    throw IoError("cannot open " + quoted(path) + ": " + std::strerror(errno));
  }
  if (H5Fis_hdf5(path.c_str()) <= 0)
    throw FormatError(quoted(path) + ": not an HDF5 file (or truncated)");
  const hid_t id = H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw FormatError(quoted(path) + ": cannot open as HDF5 (damaged or truncated)");
  return Handle(id, H5Fclose);
}

void close_file(Handle& file, const std::string& path) {
  silence_library_errors();
  if (!file.valid()) return;
  errno = 0;
  const herr_t flushed = H5Fflush(file.id(), H5F_SCOPE_GLOBAL);
  int reason = errno;
  // Release ownership first so a failed close is not retried by the destructor.
  const hid_t id = file.release();
  const herr_t closed = H5Fclose(id);
  if (reason == 0) reason = errno;
  if (flushed < 0 || closed < 0)
    throw IoError("cannot write " + quoted(path) + ": " +
                  (reason != 0 ? std::strerror(reason) : "HDF5 could not flush or close it (disk full?)"));
}

Handle create_group(hid_t loc, const std::string& name) {
  silence_library_errors();
  Handle plist(require(H5Pcreate(H5P_GROUP_CREATE), "H5Pcreate"), H5Pclose);
  require(H5Pset_obj_track_times(plist.id(), false), "H5Pset_obj_track_times");
  return Handle(check(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, plist.id(), H5P_DEFAULT), loc,
                      "cannot create group '" + name + "'"),
                H5Gclose);
}

Handle open_group(hid_t loc, const std::string& name) {
  silence_library_errors();
  if (!exists(loc, name)) fail(loc, "missing group '" + name + "'");
  return Handle(check(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), loc,
                      "cannot open group '" + name + "'"),
                H5Gclose);
}

bool exists(hid_t loc, const std::string& name) {
  // H5Lexists fails on a missing intermediate path; walk it one part at a time.
  std::size_t pos = 0;
  while (true) {
    const std::size_t next = name.find('/', pos + 1);
    const std::string prefix = name.substr(0, next);
    if (!prefix.empty() && prefix != "/") {
      // Negative: HDF5 could not look (a damaged link table, a path through
      // a dataset); that is no answer, and must not read as "absent".
      const htri_t found = H5Lexists(loc, prefix.c_str(), H5P_DEFAULT);
      if (found < 0) fail(loc, "cannot look up '" + prefix + "'");
      if (found == 0) return false;
    }
    if (next == std::string::npos) return true;
    pos = next;
  }
}

std::vector<std::string> member_names(hid_t group) {
  H5G_info_t info;
  check(H5Gget_info(group, &info), group, "cannot list group");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t n = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0,
                                         H5P_DEFAULT);
    if (n < 0) fail(group, "cannot list group");
    std::string name(static_cast<std::size_t>(n), '\0');
    if (H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size() + 1,
                           H5P_DEFAULT) < 0)
      fail(group, "cannot list group");
    names.push_back(name);
  }
  return names;
}

bool has_attr(hid_t obj, const std::string& name) {
  const htri_t found = H5Aexists(obj, name.c_str());
  if (found < 0) fail(obj, "cannot look up attribute '" + name + "'");
  return found > 0;
}

namespace {

// Groups can link to themselves, their parents or one child many times: the
// walk stops at a depth and a number of links no stage file comes near (a
// checkpoint nests three deep and holds a few hundred objects).
constexpr int kDeepestGroup = 16;
constexpr std::size_t kMostLinks = std::size_t{1} << 16;

void verify_checksums_below(hid_t group, int depth, std::size_t& links) {
  if (depth > kDeepestGroup)
    fail(group, "groups nested deeper than " + std::to_string(kDeepestGroup) +
                    " (a link cycle? damaged file)");
  for (const auto& name : member_names(group)) {
    if (++links > kMostLinks)
      fail(group, "more than " + std::to_string(kMostLinks) + " links (damaged file?)");
    const hid_t child = H5Gopen2(group, name.c_str(), H5P_DEFAULT);
    if (child >= 0) {
      Handle g(child, H5Gclose);
      verify_checksums_below(g.id(), depth + 1, links);
      continue;
    }
    Handle ds = open_dataset(group, name);
    const std::vector<H5Z_filter_t> used = filters(ds.id());
    const bool summed = std::find(used.begin(), used.end(), H5Z_FILTER_FLETCHER32) != used.end() ||
                        has_attr(ds.id(), kScalarChecksum);
    if (!summed) continue;
    const H5T_class_t cls = dataset_class(ds.id());
    ds.reset();
    // A read checks the sums: HDF5's filter for arrays, read_dataset for scalars.
    if (cls == H5T_INTEGER || cls == H5T_FLOAT) read_dataset<double>(group, name);
  }
}

}  // namespace

void verify_checksums(hid_t group) {
  silence_library_errors();
  std::size_t links = 0;
  verify_checksums_below(group, 0, links);
}

namespace {

Handle make_attr(hid_t obj, const std::string& name, hid_t type, hid_t space) {
  silence_library_errors();
  if (has_attr(obj, name))
    check(H5Adelete(obj, name.c_str()), obj, "cannot replace attribute '" + name + "'");
  return Handle(check(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), obj,
                      "cannot create attribute '" + name + "'"),
                H5Aclose);
}

Handle open_attr(hid_t obj, const std::string& name) {
  silence_library_errors();
  if (!has_attr(obj, name)) fail(obj, "missing attribute '" + name + "'");
  return Handle(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), obj,
                      "cannot open attribute '" + name + "'"),
                H5Aclose);
}

}  // namespace

template <typename T>
void write_attr(hid_t obj, const std::string& name, T value) {
  Handle space = scalar_space();
  Handle attr = make_attr(obj, name, native_type<T>(), space.id());
  check(H5Awrite(attr.id(), native_type<T>(), &value), obj, "cannot write attribute '" + name + "'");
}

void write_attr_string(hid_t obj, const std::string& name, const std::string& value) {
  Handle type = string_type();
  Handle space = scalar_space();
  Handle attr = make_attr(obj, name, type.id(), space.id());
  const char* p = value.c_str();
  check(H5Awrite(attr.id(), type.id(), &p), obj, "cannot write attribute '" + name + "'");
}

void write_attr_strings(hid_t obj, const std::string& name, const std::vector<std::string>& values) {
  Handle type = string_type();
  Handle space = simple_space(Dims{values.size()});
  Handle attr = make_attr(obj, name, type.id(), space.id());
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  check(H5Awrite(attr.id(), type.id(), ptrs.data()), obj, "cannot write attribute '" + name + "'");
}

template <typename T>
T read_attr(hid_t obj, const std::string& name) {
  Handle attr = open_attr(obj, name);
  Handle space(check(H5Aget_space(attr.id()), attr.id(), "cannot read an object's metadata (H5Aget_space failed)"), H5Sclose);
  if (H5Sget_simple_extent_npoints(space.id()) != 1)
    fail(obj, "attribute '" + name + "' is not a single value");
  Handle type(check(H5Aget_type(attr.id()), attr.id(), "cannot read an object's metadata (H5Aget_type failed)"), H5Tclose);
  const H5T_class_t cls = H5Tget_class(type.id());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) fail(obj, "attribute '" + name + "' is not a number");
  T value{};
  check(H5Aread(attr.id(), native_type<T>(), &value), obj, "cannot read attribute '" + name + "'");
  return value;
}

std::string read_attr_string(hid_t obj, const std::string& name) {
  const auto values = read_attr_strings(obj, name);
  if (values.size() != 1) fail(obj, "attribute '" + name + "' is not a single string");
  return values[0];
}

std::vector<std::string> read_attr_strings(hid_t obj, const std::string& name) {
  Handle attr = open_attr(obj, name);
  Handle stored(check(H5Aget_type(attr.id()), attr.id(), "cannot read an object's metadata (H5Aget_type failed)"), H5Tclose);
  if (H5Tget_class(stored.id()) != H5T_STRING || H5Tis_variable_str(stored.id()) <= 0)
    fail(obj, "attribute '" + name + "' is not a variable-length string");
  Handle space(check(H5Aget_space(attr.id()), attr.id(), "cannot read an object's metadata (H5Aget_space failed)"), H5Sclose);
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  // The values live in the file, so the element count cannot exceed what the
  // stored bytes hold; HDF5 1.10 lets the byte count of a huge dataspace
  // overflow when such an attribute is made, so a forged file can claim 2^62.
  const hsize_t stored_bytes = H5Aget_storage_size(attr.id());
  hsize_t bytes = 0;
  if (n < 0 || __builtin_mul_overflow(static_cast<hsize_t>(n), H5Tget_size(stored.id()), &bytes) ||
      bytes > stored_bytes)
    fail(obj, "attribute '" + name + "' declares " + std::to_string(n) + " strings but holds " +
                  std::to_string(stored_bytes) + " bytes (damaged file?)");
  Handle type = string_type();
  std::vector<char*> buf(static_cast<std::size_t>(n), nullptr);
  if (H5Aread(attr.id(), type.id(), buf.data()) < 0) {
    reclaim(type.id(), space.id(), buf);  // the strings read before the failure
    fail(obj, "cannot read attribute '" + name + "'");
  }
  std::vector<std::string> out;
  for (char* s : buf) out.emplace_back(s != nullptr ? s : "");
  reclaim(type.id(), space.id(), buf);
  return out;
}

Handle create_dataset(hid_t loc, const std::string& name, hid_t file_type, const Dims& dims,
                      const DatasetOptions& options) {
  silence_library_errors();
  Handle space = simple_space(dims);
  Handle plist = dataset_creation_list(dims, options);
  return Handle(check(H5Dcreate2(loc, name.c_str(), file_type, space.id(), H5P_DEFAULT, plist.id(),
                                 H5P_DEFAULT),
                      loc, "cannot create dataset '" + name + "'"),
                H5Dclose);
}

template <typename T>
void write_dataset(hid_t loc, const std::string& name, const Dims& dims, const T* data,
                   const DatasetOptions& options) {
  Handle ds = create_dataset(loc, name, native_type<T>(), dims, options);
  errno = 0;
  check_write(H5Dwrite(ds.id(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data), loc,
        "cannot write dataset '" + name + "'");
  if (options.checksum && dims.empty())
    write_attr<std::uint32_t>(ds.id(), kScalarChecksum, scalar_checksum(*data));
}

void write_strings(hid_t loc, const std::string& name, const std::vector<std::string>& values) {
  write_strings(loc, name, Dims{values.size()}, values);
}

void write_strings(hid_t loc, const std::string& name, const Dims& dims,
                   const std::vector<std::string>& values) {
  hsize_t elements = 1;
  for (hsize_t d : dims) elements *= d;
  if (elements != values.size()) fail(loc, "dataset '" + name + "': shape and values disagree");
  Handle type = string_type();
  Handle ds = create_dataset(loc, name, type.id(), dims, {});
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  errno = 0;
  if (!values.empty())
    check_write(H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), loc,
                "cannot write dataset '" + name + "'");
}

namespace {

Handle selected_space(hid_t dataset, const Dims& offset, const Dims& count) {
  Handle space(check(H5Dget_space(dataset), dataset, "cannot read an object's metadata (H5Dget_space failed)"), H5Sclose);
  const Dims dims = dataset_dims(dataset);
  if (offset.size() != dims.size() || count.size() != dims.size())
    fail(dataset, "slab rank does not match dataset rank");
  for (std::size_t i = 0; i < dims.size(); ++i)
    if (offset[i] + count[i] > dims[i]) fail(dataset, "slab outside dataset extent");
  check(H5Sselect_hyperslab(space.id(), H5S_SELECT_SET, offset.data(), nullptr, count.data(),
                            nullptr),
        dataset, "cannot select slab");
  return space;
}

}  // namespace

template <typename T>
void write_slab(hid_t dataset, const Dims& offset, const Dims& count, const T* data) {
  silence_library_errors();
  Handle file_space = selected_space(dataset, offset, count);
  Handle mem_space = simple_space(count);
  errno = 0;
  check_write(H5Dwrite(dataset, native_type<T>(), mem_space.id(), file_space.id(), H5P_DEFAULT, data),
        dataset, "cannot write slab");
}

void write_chunk(hid_t dataset, const Dims& offset, const void* data, std::size_t size) {
  silence_library_errors();
  errno = 0;
  check_write(H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, offset.data(), size, data), dataset,
              "cannot write chunk");
}

Dims chunk_dims(hid_t dataset) {
  Handle plist(check(H5Dget_create_plist(dataset), dataset, "cannot read the storage layout"),
               H5Pclose);
  const H5D_layout_t layout = H5Pget_layout(plist.id());
  if (layout < 0) fail(dataset, "cannot read the storage layout");
  if (layout != H5D_CHUNKED) return {};
  Dims chunk(H5S_MAX_RANK);
  const int rank = H5Pget_chunk(plist.id(), H5S_MAX_RANK, chunk.data());
  if (rank <= 0) fail(dataset, "cannot read the chunk shape");
  chunk.resize(static_cast<std::size_t>(rank));
  return chunk;
}

std::vector<H5Z_filter_t> filters(hid_t dataset) {
  Handle plist(check(H5Dget_create_plist(dataset), dataset, "cannot read the filters"), H5Pclose);
  const int n = H5Pget_nfilters(plist.id());
  if (n < 0) fail(dataset, "cannot read the filters");
  std::vector<H5Z_filter_t> out;
  for (int i = 0; i < n; ++i) {
    unsigned flags = 0, config = 0;
    std::size_t values = 0;
    const H5Z_filter_t id = H5Pget_filter2(plist.id(), static_cast<unsigned>(i), &flags, &values,
                                           nullptr, 0, nullptr, &config);
    if (id < 0) fail(dataset, "cannot read the filters");
    out.push_back(id);
  }
  return out;
}

void check_stored_chunks(hid_t dataset, const std::string& name) {
  const Dims chunk = chunk_dims(dataset);
  if (chunk.empty()) return;
  bool deflated = false;
  hsize_t sum_bytes = 0;  // Fletcher-32 (last in the pipeline) appends 4 bytes
  for (const H5Z_filter_t f : filters(dataset)) {
    if (f == H5Z_FILTER_DEFLATE)
      deflated = true;
    else if (f == H5Z_FILTER_FLETCHER32)
      sum_bytes = 4;
    else if (f != H5Z_FILTER_SHUFFLE)
      fail(dataset, "dataset '" + name + "' uses HDF5 filter " + std::to_string(f) +
                        " (only deflate, shuffle and fletcher32 are read)");
  }
  Handle type(check(H5Dget_type(dataset), dataset, "cannot read an object's metadata (H5Dget_type failed)"), H5Tclose);
  hsize_t chunk_bytes = H5Tget_size(type.id());
  for (hsize_t d : chunk) chunk_bytes *= d;  // HDF5 keeps a chunk below 4 GiB
  // HDF5 1.10.8 refuses H5S_ALL here; the dataset's own space means the same.
  Handle space(check(H5Dget_space(dataset), dataset, "cannot read an object's metadata (H5Dget_space failed)"), H5Sclose);
  hsize_t n = 0;
  check(H5Dget_num_chunks(dataset, space.id(), &n), dataset, "cannot count the stored chunks");
  std::vector<std::uint8_t> stored, inflated;
  Dims offset(chunk.size());
  for (hsize_t i = 0; i < n; ++i) {
    unsigned mask = 0;
    haddr_t addr = 0;
    hsize_t size = 0;
    check(H5Dget_chunk_info(dataset, space.id(), i, offset.data(), &mask, &addr, &size), dataset,
          "cannot list the stored chunks");
    const std::string which = "cannot read dataset '" + name + "': stored chunk " + std::to_string(i);
    if (mask != 0) fail(dataset, which + " has some filters skipped (damaged file?)");
    if (!deflated) {
      if (size != chunk_bytes + sum_bytes)
        fail(dataset, which + " has " + std::to_string(size) + " bytes, not " +
                          std::to_string(chunk_bytes + sum_bytes) + " (damaged file?)");
      continue;
    }
    // Deflate expands by far less.
    if (size < sum_bytes || size > chunk_bytes + chunk_bytes / 8 + 1024 + sum_bytes)
      fail(dataset, which + " has " + std::to_string(size) + " bytes (damaged file?)");
    stored.resize(static_cast<std::size_t>(size));
    check(H5Dread_chunk(dataset, H5P_DEFAULT, offset.data(), &mask, stored.data()), dataset,
          which + " (damaged file?)");
    inflated.resize(static_cast<std::size_t>(chunk_bytes));
    const std::string why = inflate_exact(stored.data(), stored.size() - sum_bytes,
                                          inflated.data(), inflated.size());
    if (!why.empty()) fail(dataset, which + " " + why);
  }
}

bool read_chunk(hid_t dataset, const Dims& offset, std::size_t max_size,
                std::vector<std::uint8_t>& out) {
  unsigned mask = 0;
  haddr_t addr = HADDR_UNDEF;
  hsize_t size = 0;
  check(H5Dget_chunk_info_by_coord(dataset, offset.data(), &mask, &addr, &size), dataset,
        "cannot read the chunk index (damaged file?)");
  if (addr == HADDR_UNDEF || size == 0) return false;
  if (size > max_size)
    fail(dataset, "cannot read a stored chunk of " + std::to_string(size) + " bytes, at most " +
                      std::to_string(max_size) + " expected (damaged file?)");
  out.resize(static_cast<std::size_t>(size));
  std::uint32_t read_mask = 0;
  check(H5Dread_chunk(dataset, H5P_DEFAULT, offset.data(), &read_mask, out.data()), dataset,
        "cannot read a stored chunk (damaged file?)");
  if (read_mask != 0) fail(dataset, "cannot read a chunk stored with some filters skipped (damaged file?)");
  return true;
}

Handle open_dataset(hid_t loc, const std::string& name) {
  silence_library_errors();
  if (!exists(loc, name)) fail(loc, "missing dataset '" + name + "'");
  return Handle(check(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), loc,
                      "cannot open dataset '" + name + "'"),
                H5Dclose);
}

Dims dataset_dims(hid_t dataset) {
  Handle space(check(H5Dget_space(dataset), dataset, "cannot read dataset shape"), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 0) fail(dataset, "cannot read dataset shape");
  Dims dims(static_cast<std::size_t>(rank));
  if (H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr) < 0)
    fail(dataset, "cannot read dataset shape");
  return dims;
}

H5T_class_t dataset_class(hid_t dataset) {
  Handle type(check(H5Dget_type(dataset), dataset, "cannot read a dataset's type"), H5Tclose);
  const H5T_class_t cls = H5Tget_class(type.id());
  if (cls == H5T_NO_CLASS) fail(dataset, "cannot read a dataset's type class");
  return cls;
}

std::size_t dataset_type_size(hid_t dataset) {
  Handle type(check(H5Dget_type(dataset), dataset, "cannot read a dataset's type"), H5Tclose);
  const std::size_t size = H5Tget_size(type.id());
  if (size == 0) fail(dataset, "cannot read a dataset's type size");
  return size;
}

bool stored_as(hid_t dataset, hid_t file_type) {
  Handle type(check(H5Dget_type(dataset), dataset, "cannot read a dataset's type"), H5Tclose);
  const htri_t equal = H5Tequal(type.id(), file_type);
  if (equal < 0) fail(dataset, "cannot compare a dataset's type");
  return equal > 0;
}

namespace {

// Compressed data can be at most this many times its stored size (deflate,
// the only filter the stage files use, tops out near 1032:1).
constexpr hsize_t kMaxInflation = 1100;

// The element count of a dataset about to be read whole, after checking that
// the file really holds that much data: the extents must not overflow when
// multiplied, and the bytes stored must cover the declared size (or, when
// compressed, a kMaxInflation-th of it). A damaged or forged file can declare
// 2^60 values it never stored; reading it would allocate memory for them all.
std::size_t stored_elements(hid_t loc, hid_t dataset, const std::string& name, const Dims& dims) {
  hsize_t n = 1;
  for (hsize_t d : dims)
    if (__builtin_mul_overflow(n, d, &n)) fail(loc, "dataset '" + name + "' has an impossible shape");
  if (n == 0) return 0;
  check_stored_chunks(dataset, name);
  Handle type(check(H5Dget_type(dataset), dataset, "cannot read an object's metadata (H5Dget_type failed)"), H5Tclose);
  Handle plist(check(H5Dget_create_plist(dataset), dataset, "cannot read an object's metadata (H5Dget_create_plist failed)"), H5Pclose);
  const hsize_t stored = H5Dget_storage_size(dataset);
  const hsize_t inflation = H5Pget_nfilters(plist.id()) > 0 ? kMaxInflation : 1;
  hsize_t bytes = 0;
  if (__builtin_mul_overflow(n, H5Tget_size(type.id()), &bytes) || bytes / inflation > stored ||
      n > SIZE_MAX / sizeof(std::uint64_t))
    fail(loc, "dataset '" + name + "' declares " + std::to_string(n) + " values but holds " +
                  std::to_string(stored) + " bytes (damaged, or its data was never written)");
  return static_cast<std::size_t>(n);
}

}  // namespace

template <typename T>
std::vector<T> read_dataset(hid_t loc, const std::string& name, Dims* dims_out) {
  silence_library_errors();
  Handle ds = open_dataset(loc, name);
  const H5T_class_t cls = dataset_class(ds.id());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) fail(loc, "dataset '" + name + "' is not numeric");
  const Dims dims = dataset_dims(ds.id());
  const std::size_t n = stored_elements(loc, ds.id(), name, dims);
  std::vector<T> out(n);
  if (n > 0)
    check(H5Dread(ds.id(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), loc,
          "cannot read dataset '" + name + "' (damaged, or its data was never written)");
  if (dims.empty() && n == 1 && has_attr(ds.id(), kScalarChecksum) &&
      read_attr<std::uint32_t>(ds.id(), kScalarChecksum) != scalar_checksum(out[0]))
    fail(loc, "dataset '" + name + "' is damaged (its checksum does not match)");
  if (dims_out != nullptr) *dims_out = dims;
  return out;
}

template <typename T>
void read_slab(hid_t dataset, const Dims& offset, const Dims& count, T* data) {
  silence_library_errors();
  Handle file_space = selected_space(dataset, offset, count);
  Handle mem_space = simple_space(count);
  check(H5Dread(dataset, native_type<T>(), mem_space.id(), file_space.id(), H5P_DEFAULT, data),
        dataset, "cannot read slab (damaged file?)");
}

namespace {

// HDF5 1.10 takes the length of a variable-length string from its element in
// the dataset and allocates that much before it looks the string up in the
// file's heap: one damaged element can claim up to 4 GiB, which HDF5 would
// then copy into the string it returns. String datasets are read through
// this allocator instead, which refuses once the strings together would be
// longer than the file that holds them, failing the read.
struct StringBudget {
  hsize_t left = 0;
  bool exceeded = false;
};

void* budget_alloc(std::size_t size, void* info) {
  auto* budget = static_cast<StringBudget*>(info);
  if (size > budget->left) {
    budget->exceeded = true;
    return nullptr;
  }
  budget->left -= size;
  return std::malloc(size);
}

void budget_free(void* p, void*) { std::free(p); }

}  // namespace

std::vector<std::string> read_strings(hid_t loc, const std::string& name) {
  return read_strings(loc, name, nullptr);
}

std::vector<std::string> read_strings(hid_t loc, const std::string& name, Dims* dims_out) {
  Handle ds = open_dataset(loc, name);
  Handle stored(check(H5Dget_type(ds.id()), ds.id(), "cannot read an object's metadata (H5Dget_type failed)"), H5Tclose);
  if (H5Tget_class(stored.id()) != H5T_STRING || H5Tis_variable_str(stored.id()) <= 0)
    fail(loc, "dataset '" + name + "' is not a variable-length string array");
  const Dims dims = dataset_dims(ds.id());
  if (dims_out == nullptr && dims.size() != 1) fail(loc, "dataset '" + name + "' is not one-dimensional");
  if (dims_out != nullptr) *dims_out = dims;
  Handle type = string_type();
  std::vector<char*> buf(stored_elements(loc, ds.id(), name, dims), nullptr);
  Handle space(check(H5Dget_space(ds.id()), ds.id(), "cannot read an object's metadata (H5Dget_space failed)"), H5Sclose);
  if (buf.empty()) return {};
  hsize_t file_size = 0;
  {
    Handle file(check(H5Iget_file_id(ds.id()), ds.id(), "cannot read an object's metadata (H5Iget_file_id failed)"), H5Fclose);
    check(H5Fget_filesize(file.id(), &file_size), loc, "cannot read the file size");
  }
  StringBudget budget{file_size + buf.size()};  // + one terminating NUL each
  Handle xfer(require(H5Pcreate(H5P_DATASET_XFER), "H5Pcreate"), H5Pclose);
  H5Pset_vlen_mem_manager(xfer.id(), budget_alloc, &budget, budget_free, nullptr);
  const herr_t rc = H5Dread(ds.id(), type.id(), H5S_ALL, H5S_ALL, xfer.id(), buf.data());
  std::vector<std::string> out;
  if (rc >= 0)
    for (char* s : buf) out.emplace_back(s != nullptr ? s : "");
  H5Dvlen_reclaim(type.id(), space.id(), xfer.id(), buf.data());
  if (rc < 0)
    fail(loc, "cannot read dataset '" + name + "'" +
                  (budget.exceeded ? ": its strings claim more bytes than the file has (damaged file?)"
                                   : ""));
  return out;
}

#define PLIFKIT_H5_INSTANTIATE(T)                                                              \
  template void write_attr<T>(hid_t, const std::string&, T);                                    \
  template T read_attr<T>(hid_t, const std::string&);                                           \
  template void write_dataset<T>(hid_t, const std::string&, const Dims&, const T*,              \
                                 const DatasetOptions&);                                        \
  template void write_slab<T>(hid_t, const Dims&, const Dims&, const T*);                       \
  template std::vector<T> read_dataset<T>(hid_t, const std::string&, Dims*);                    \
  template void read_slab<T>(hid_t, const Dims&, const Dims&, T*);

PLIFKIT_H5_INSTANTIATE(std::uint8_t)
PLIFKIT_H5_INSTANTIATE(std::uint16_t)
PLIFKIT_H5_INSTANTIATE(std::uint32_t)
PLIFKIT_H5_INSTANTIATE(std::uint64_t)
PLIFKIT_H5_INSTANTIATE(std::int32_t)
PLIFKIT_H5_INSTANTIATE(std::int64_t)
PLIFKIT_H5_INSTANTIATE(float)
PLIFKIT_H5_INSTANTIATE(double)

}  // namespace plifkit::h5
