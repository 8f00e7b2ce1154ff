#include "h5_mutations.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "fuzz_support.hpp"
#include "plifkit/h5/h5.hpp"

namespace plifkit::fuzz {
namespace {

using h5::Handle;

constexpr int kMaxMutations = 12;
// Data is only written into objects up to this size; larger ones are created
// without data (HDF5 then reads its fill value), which is the cheap way to an
// absurdly large dataset.
constexpr std::uint64_t kMaxWriteBytes = 1 << 16;
constexpr std::size_t kMaxStrings = 4096;

// Boundary values for sizes, counts and attribute values.
constexpr std::uint64_t kBoundaries[] = {
    0, 1, 2, 3, 4, 7, 8, 11, 127, 128, 255, 256, 65535, 65536,
    (1ull << 31) - 1, 1ull << 31, (1ull << 32) - 1, 1ull << 32, 1ull << 40, 1ull << 62,
    (1ull << 63) - 1, 1ull << 63, ~0ull};

constexpr double kFloats[] = {0.0, -0.0, 0.5, 1.0, 2.0, -1.0, 1e-310, 2147483648.0, 9.3e18, 1e300,
                              -1e300, std::numeric_limits<double>::infinity(),
                              -std::numeric_limits<double>::infinity(),
                              std::numeric_limits<double>::quiet_NaN()};

class Mutator {
 public:
  Mutator(hid_t file, const H5Shape& shape, FuzzedDataProvider& in)
      : file_(file), shape_(shape), in_(in) {
    numbers_.assign(std::begin(kBoundaries), std::end(kBoundaries));
    for (std::uint64_t v : shape.numbers) {
      numbers_.push_back(v);
      numbers_.push_back(v + 1);
      if (v > 0) numbers_.push_back(v - 1);
    }
  }

  void run() {
    static const char* const kNames[] = {
        "drop_attribute", "set_attribute_number", "set_attribute_string",
        "set_attribute_anything", "drop_object", "replace_with_dataset", "replace_with_group",
        "relink", "poke_element", "garbage_chunk", "reshape_dataset", "set_attribute_array"};
    for (int i = 0; i < kMaxMutations && in_.remaining_bytes() > 0; ++i) {
      const int op = in_.ConsumeIntegralInRange(0, 11);
      if (trace_) std::fprintf(stderr, "mutation %d: %s\n", i, kNames[op]);
      switch (op) {
        case 0: drop_attribute(); break;
        case 1: set_attribute_number(); break;
        case 2: set_attribute_string(); break;
        case 3: set_attribute_anything(); break;
        case 4: drop_object(); break;
        case 5: replace_with_dataset(); break;
        case 6: replace_with_group(); break;
        case 7: relink(); break;
        case 8: poke_element(); break;
        case 9: garbage_chunk(); break;
        case 10: reshape_dataset(); break;
        default: set_attribute_array(); break;
      }
    }
  }

 private:
  // --- choices ----------------------------------------------------------------

  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[in_.ConsumeIntegralInRange<std::size_t>(0, v.size() - 1)];
  }

  std::uint64_t number() {
    switch (in_.ConsumeIntegralInRange(0, 3)) {
      case 0: return in_.ConsumeIntegralInRange<std::uint64_t>(0, 8);
      case 1: return in_.ConsumeIntegral<std::uint64_t>();
      default: return pick(numbers_);
    }
  }

  // A dimension: mostly small, sometimes one of the interesting sizes.
  hsize_t dim() {
    if (in_.ConsumeBool()) return in_.ConsumeIntegralInRange<hsize_t>(0, 5);
    return number();
  }

  std::string word() {
    if (!shape_.words.empty() && in_.ConsumeBool()) return pick(shape_.words);
    return in_.ConsumeRandomLengthString(24);
  }

  std::string object() {
    std::string path = shape_.objects.empty() || in_.ConsumeIntegralInRange(0, 15) == 0
                           ? "/" + in_.ConsumeRandomLengthString(12)
                           : pick(shape_.objects);
    if (trace_) std::fprintf(stderr, "  object %s\n", path.c_str());
    return path;
  }

  std::pair<std::string, std::string> attribute() {
    if (shape_.attributes.empty()) return {"/", in_.ConsumeRandomLengthString(12)};
    return pick(shape_.attributes);
  }

  static Handle copy_type(hid_t t) { return Handle(H5Tcopy(t), H5Tclose); }

  static Handle vlen_string_type() {
    Handle t = copy_type(H5T_C_S1);
    H5Tset_size(t.id(), H5T_VARIABLE);
    H5Tset_cset(t.id(), H5T_CSET_UTF8);
    return t;
  }

  Handle numeric_type() {
    static const hid_t* const kTypes[] = {&H5T_STD_U8LE_g,  &H5T_STD_U16LE_g, &H5T_STD_U32LE_g,
                                          &H5T_STD_U64LE_g, &H5T_STD_I8LE_g,  &H5T_STD_I32LE_g,
                                          &H5T_STD_I64LE_g, &H5T_IEEE_F32LE_g, &H5T_IEEE_F64LE_g,
                                          &H5T_STD_U16BE_g, &H5T_IEEE_F32BE_g, &H5T_STD_I64BE_g};
    H5open();  // the *_g globals are set up by the library's initialisation
    return copy_type(*kTypes[in_.ConsumeIntegralInRange<std::size_t>(0, std::size(kTypes) - 1)]);
  }

  // Any type a file could hold where the reader expects a number or string.
  Handle any_type() {
    switch (in_.ConsumeIntegralInRange(0, 5)) {
      case 0: return vlen_string_type();
      case 1: {  // fixed-length string
        Handle t = copy_type(H5T_C_S1);
        H5Tset_size(t.id(), in_.ConsumeIntegralInRange<std::size_t>(1, 16));
        return t;
      }
      case 2: {  // compound with one integer member
        Handle t(H5Tcreate(H5T_COMPOUND, 4), H5Tclose);
        H5Tinsert(t.id(), "v", 0, H5T_STD_I32LE);
        return t;
      }
      case 3: {  // variable-length sequence of bytes (not a string)
        return Handle(H5Tvlen_create(H5T_STD_U8LE), H5Tclose);
      }
      default: return numeric_type();
    }
  }

  Handle space() {
    switch (in_.ConsumeIntegralInRange(0, 7)) {
      case 0: return Handle(H5Screate(H5S_SCALAR), H5Sclose);
      case 1: return Handle(H5Screate(H5S_NULL), H5Sclose);
      default: {
        const int rank = in_.ConsumeIntegralInRange(1, 5);
        h5::Dims dims(static_cast<std::size_t>(rank));
        for (auto& d : dims) d = dim();
        return Handle(H5Screate_simple(rank, dims.data(), nullptr), H5Sclose);
      }
    }
  }

  static std::uint64_t points(hid_t space) {
    const hssize_t n = H5Sget_simple_extent_npoints(space);
    return n < 0 ? 0 : static_cast<std::uint64_t>(n);
  }

  static bool is_vlen_string(hid_t type) {
    return H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0;
  }

  // Writes `count` elements of `type` through `write(mem_type, buffer)`:
  // strings from the word pool, numbers all one interesting value (converted
  // by HDF5 from uint64, int64 or double), or raw bytes from the input.
  template <typename Write>
  void fill(hid_t type, std::uint64_t count, Write&& write) {
    if (count == 0) return;
    if (is_vlen_string(type)) {
      if (count > kMaxStrings) return;
      std::vector<std::string> values;
      for (std::uint64_t i = 0; i < count; ++i) values.push_back(word());
      std::vector<const char*> ptrs;
      for (const auto& v : values) ptrs.push_back(v.c_str());
      write(type, ptrs.data());
      return;
    }
    const H5T_class_t cls = H5Tget_class(type);
    const std::size_t size = H5Tget_size(type);
    if (size == 0 || count > kMaxWriteBytes / size) return;
    if ((cls == H5T_INTEGER || cls == H5T_FLOAT) && in_.ConsumeBool()) {
      switch (in_.ConsumeIntegralInRange(0, 2)) {
        case 0: {
          std::vector<std::uint64_t> v(count, number());
          write(H5T_NATIVE_UINT64, v.data());
          break;
        }
        case 1: {
          std::vector<std::int64_t> v(count, -static_cast<std::int64_t>(number() >> 1));
          write(H5T_NATIVE_INT64, v.data());
          break;
        }
        default: {
          std::vector<double> v(count, kFloats[in_.ConsumeIntegralInRange<std::size_t>(
                                           0, std::size(kFloats) - 1)]);
          write(H5T_NATIVE_DOUBLE, v.data());
        }
      }
      return;
    }
    if (cls == H5T_VLEN) {  // sequences need hvl_t descriptors: leave them empty
      std::vector<hvl_t> v(count, hvl_t{0, nullptr});
      write(type, v.data());
      return;
    }
    std::vector<std::uint8_t> bytes(count * size);
    const std::vector<std::uint8_t> given = in_.ConsumeBytes<std::uint8_t>(
        in_.ConsumeIntegralInRange<std::size_t>(0, std::min<std::size_t>(bytes.size(), 256)));
    for (std::size_t i = 0; !given.empty() && i < bytes.size(); ++i)
      bytes[i] = given[i % given.size()];
    write(type, bytes.data());
  }

  // --- links ------------------------------------------------------------------

  void unlink(const std::string& path) {
    if (H5Lexists(file_, path.c_str(), H5P_DEFAULT) > 0) H5Ldelete(file_, path.c_str(), H5P_DEFAULT);
  }

  void drop_object() { unlink(object()); }

  void replace_with_group() {
    const std::string path = object();
    unlink(path);
    Handle g(H5Gcreate2(file_, path.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
  }

  void relink() {
    const std::string path = object();
    const int kind = in_.ConsumeIntegralInRange(0, 2);
    const std::string target = object();
    unlink(path);
    switch (kind) {
      case 0: H5Lcreate_hard(file_, target.c_str(), file_, path.c_str(), H5P_DEFAULT, H5P_DEFAULT); break;
      case 1: H5Lcreate_soft("/no/such/object", file_, path.c_str(), H5P_DEFAULT, H5P_DEFAULT); break;
      default:
        H5Lcreate_external("/nonexistent/plifkit_fuzz.h5", "/x", file_, path.c_str(), H5P_DEFAULT,
                           H5P_DEFAULT);
    }
  }

  // --- datasets -----------------------------------------------------------------

  Handle creation_list(hid_t space) {
    Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    const int rank = H5Sget_simple_extent_ndims(space);
    switch (in_.ConsumeIntegralInRange(0, 2)) {
      case 1:
        if (rank > 0) {
          h5::Dims dims(static_cast<std::size_t>(rank)), chunk(dims.size());
          H5Sget_simple_extent_dims(space, dims.data(), nullptr);
          // HDF5 1.10 accepts a chunked dataset whose element count overflows
          // 64 bits and then spends gigabytes creating it: not a reader case.
          hsize_t n = 1;
          for (hsize_t d : dims)
            if (__builtin_mul_overflow(n, d, &n)) return plist;
          for (std::size_t i = 0; i < dims.size(); ++i)
            chunk[i] = std::clamp<hsize_t>(dims[i], 1, in_.ConsumeIntegralInRange<hsize_t>(1, 8));
          H5Pset_chunk(plist.id(), rank, chunk.data());
          if (in_.ConsumeBool()) H5Pset_deflate(plist.id(), 1);
        }
        break;
      case 2: H5Pset_layout(plist.id(), H5D_COMPACT); break;
      default: break;
    }
    return plist;
  }

  void create_dataset(const std::string& path, hid_t type, hid_t space) {
    Handle plist = creation_list(space);
    if (trace_) {
      h5::Dims dims(static_cast<std::size_t>(std::max(H5Sget_simple_extent_ndims(space), 0)));
      H5Sget_simple_extent_dims(space, dims.data(), nullptr);
      std::fprintf(stderr, "  dataset class %d size %zu layout %d dims", H5Tget_class(type),
                   H5Tget_size(type), H5Pget_layout(plist.id()));
      for (hsize_t d : dims) std::fprintf(stderr, " %llu", static_cast<unsigned long long>(d));
      std::fprintf(stderr, "\n");
    }
    Handle ds(H5Dcreate2(file_, path.c_str(), type, space, H5P_DEFAULT, plist.id(), H5P_DEFAULT),
              H5Dclose);
    if (!ds.valid() || in_.ConsumeIntegralInRange(0, 5) == 0) return;  // sometimes no data
    fill(type, points(space), [&](hid_t mem, const void* buf) {
      H5Dwrite(ds.id(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
    });
  }

  void replace_with_dataset() {
    const std::string path = object();
    Handle type = any_type();
    Handle sp = space();
    unlink(path);
    create_dataset(path, type.id(), sp.id());
  }

  Handle open_dataset(const std::string& path) {
    if (H5Lexists(file_, path.c_str(), H5P_DEFAULT) <= 0) return Handle();
    H5O_info_t info;
    if (H5Oget_info_by_name(file_, path.c_str(), &info, H5P_DEFAULT) < 0 ||
        info.type != H5O_TYPE_DATASET)
      return Handle();
    return Handle(H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose);
  }

  // Same type and rank, one extent changed: the lengths of columns that must
  // agree disagree, or a shape is off by one.
  void reshape_dataset() {
    const std::string path = object();
    Handle ds = open_dataset(path);
    if (!ds.valid()) return;
    Handle type(H5Dget_type(ds.id()), H5Tclose);
    Handle old_space(H5Dget_space(ds.id()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(old_space.id());
    h5::Dims dims(static_cast<std::size_t>(std::max(rank, 0)));
    if (rank > 0) H5Sget_simple_extent_dims(old_space.id(), dims.data(), nullptr);
    if (dims.empty() || in_.ConsumeIntegralInRange(0, 7) == 0) {
      dims.push_back(dim());  // one more axis
    } else {
      hsize_t& d = dims[in_.ConsumeIntegralInRange<std::size_t>(0, dims.size() - 1)];
      switch (in_.ConsumeIntegralInRange(0, 2)) {
        case 0: d = d + 1; break;
        case 1: d = d > 0 ? d - 1 : 0; break;
        default: d = dim();
      }
    }
    Handle sp(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
    ds.reset();
    unlink(path);
    create_dataset(path, type.id(), sp.id());
  }

  // One element of a dataset set to an interesting value (a label past
  // class_num, a segment of 2^32 - 1, an empty source string...).
  void poke_element() {
    Handle ds = open_dataset(object());
    if (!ds.valid()) return;
    Handle type(H5Dget_type(ds.id()), H5Tclose);
    Handle sp(H5Dget_space(ds.id()), H5Sclose);
    const std::uint64_t n = points(sp.id());
    if (n == 0 || H5Sget_simple_extent_type(sp.id()) != H5S_SIMPLE) return;
    // One element written into contiguous storage never allocated makes
    // HDF5 write the whole dataset's fill value: gigabytes for a huge one.
    Handle plist(H5Dget_create_plist(ds.id()), H5Pclose);
    if (H5Pget_layout(plist.id()) != H5D_CHUNKED &&
        n > kMaxWriteBytes / std::max<std::size_t>(H5Tget_size(type.id()), 1))
      return;
    const int rank = H5Sget_simple_extent_ndims(sp.id());
    h5::Dims dims(static_cast<std::size_t>(rank)), at(dims.size());
    H5Sget_simple_extent_dims(sp.id(), dims.data(), nullptr);
    for (std::size_t i = 0; i < dims.size(); ++i)
      at[i] = dims[i] == 0 ? 0 : in_.ConsumeIntegralInRange<hsize_t>(0, dims[i] - 1);
    if (H5Sselect_elements(sp.id(), H5S_SELECT_SET, 1, at.data()) < 0) return;
    Handle mem(H5Screate(H5S_SCALAR), H5Sclose);
    fill(type.id(), 1, [&](hid_t mem_type, const void* buf) {
      H5Dwrite(ds.id(), mem_type, mem.id(), sp.id(), H5P_DEFAULT, buf);
    });
  }

  // A stored chunk replaced by bytes from the input (with or without the
  // filters' mark): what a damaged compressed sample looks like.
  void garbage_chunk() {
    Handle ds = open_dataset(object());
    if (!ds.valid()) return;
    Handle plist(H5Dget_create_plist(ds.id()), H5Pclose);
    if (H5Pget_layout(plist.id()) != H5D_CHUNKED) return;
    Handle sp(H5Dget_space(ds.id()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(sp.id());
    if (rank <= 0) return;
    h5::Dims dims(static_cast<std::size_t>(rank)), chunk(dims.size()), at(dims.size());
    H5Sget_simple_extent_dims(sp.id(), dims.data(), nullptr);
    H5Pget_chunk(plist.id(), rank, chunk.data());
    for (std::size_t i = 0; i < dims.size(); ++i) {
      if (dims[i] == 0 || chunk[i] == 0) return;
      at[i] = in_.ConsumeIntegralInRange<hsize_t>(0, dims[i] - 1) / chunk[i] * chunk[i];
    }
    const std::uint32_t mask = in_.ConsumeBool() ? 0u : in_.ConsumeIntegral<std::uint32_t>();
    std::vector<std::uint8_t> bytes =
        in_.ConsumeBytes<std::uint8_t>(in_.ConsumeIntegralInRange<std::size_t>(1, 512));
    if (bytes.empty()) bytes.push_back(0);
    H5Dwrite_chunk(ds.id(), H5P_DEFAULT, mask, at.data(), bytes.size(), bytes.data());
  }

  // --- attributes ---------------------------------------------------------------

  void drop_attribute() {
    const auto [obj, name] = attribute();
    H5Adelete_by_name(file_, obj.c_str(), name.c_str(), H5P_DEFAULT);
  }

  void write_attribute(const std::string& obj, const std::string& name, hid_t type, hid_t sp) {
    if (H5Lexists(file_, obj.c_str(), H5P_DEFAULT) <= 0 && obj != "/") return;
    if (H5Aexists_by_name(file_, obj.c_str(), name.c_str(), H5P_DEFAULT) > 0)
      H5Adelete_by_name(file_, obj.c_str(), name.c_str(), H5P_DEFAULT);
    Handle attr(H5Acreate_by_name(file_, obj.c_str(), name.c_str(), type, sp, H5P_DEFAULT,
                                  H5P_DEFAULT, H5P_DEFAULT),
                H5Aclose);
    if (!attr.valid()) return;
    fill(type, points(sp), [&](hid_t mem, const void* buf) { H5Awrite(attr.id(), mem, buf); });
  }

  void set_attribute_number() {
    const auto [obj, name] = attribute();
    Handle type = numeric_type();
    Handle sp(H5Screate(H5S_SCALAR), H5Sclose);
    write_attribute(obj, name, type.id(), sp.id());
  }

  void set_attribute_string() {
    const auto [obj, name] = attribute();
    Handle type = vlen_string_type();
    Handle sp(H5Screate(H5S_SCALAR), H5Sclose);
    write_attribute(obj, name, type.id(), sp.id());
  }

  void set_attribute_array() {
    const auto [obj, name] = attribute();
    Handle type = in_.ConsumeBool() ? vlen_string_type() : numeric_type();
    const hsize_t n = in_.ConsumeIntegralInRange<hsize_t>(0, 3);
    Handle sp(H5Screate_simple(1, &n, nullptr), H5Sclose);
    write_attribute(obj, name, type.id(), sp.id());
  }

  void set_attribute_anything() {
    const auto [obj, name] = attribute();
    Handle type = any_type();
    Handle sp = space();
    if (points(sp.id()) * std::max<std::size_t>(H5Tget_size(type.id()), 1) > kMaxWriteBytes) return;
    write_attribute(obj, name, type.id(), sp.id());
  }

  hid_t file_;
  const H5Shape& shape_;
  FuzzedDataProvider& in_;
  std::vector<std::uint64_t> numbers_;
  // PLIFKIT_FUZZ_TRACE=1 prints the mutations of each input (for triage: run
  // the target on one crash input).
  const bool trace_ = std::getenv("PLIFKIT_FUZZ_TRACE") != nullptr;
};

}  // namespace

void mutate_file(const std::string& path, const H5Shape& shape, FuzzedDataProvider& in) {
  h5::silence_library_errors();
  // Larger free lists than HDF5's default (1 MiB a kind): HDF5 then reuses
  // its large per-file blocks (the metadata cache) instead of returning them,
  // which under ASan costs fresh zeroed pages on every open and was half of
  // the run time. Bounded, so that memory does not grow over a long run.
  constexpr int kList = 8 << 20, kGlobal = 32 << 20;
  static const bool limits_set =
      H5set_free_list_limits(kGlobal, kList, kGlobal, kList, kGlobal, kList) >= 0;
  (void)limits_set;
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) bug("the harness cannot reopen its own file " + path);
  Mutator(file.id(), shape, in).run();
}

long open_h5_objects() {
  return static_cast<long>(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL));
}

}  // namespace plifkit::fuzz
