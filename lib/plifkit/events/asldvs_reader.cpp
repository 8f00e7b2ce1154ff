#include "plifkit/events/asldvs_reader.hpp"

#include <matio.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <mutex>
#include <vector>

#include "plifkit/core/error.hpp"
#include "plifkit/core/mapped_file.hpp"
#include "plifkit/events/mat5_check.hpp"
#include "plifkit/events/event_datasets.hpp"
#include "plifkit/events/time_order.hpp"

namespace plifkit {
namespace {

namespace layout = event_datasets::asldvs;

// libmatio reports through a log function, by default to stderr. Its last
// message on this thread becomes part of our one error line instead.
thread_local std::string matio_message;

void keep_matio_message(int /*level*/, char* message) { matio_message = message; }

void route_matio_log() {
  static std::once_flag once;
  std::call_once(once, [] { Mat_LogInitFunc("plifkit", keep_matio_message); });
}

struct MatCloser {
  void operator()(mat_t* mat) const { Mat_Close(mat); }
};
struct VarFreer {
  void operator()(matvar_t* var) const { Mat_VarFree(var); }
};

// Converts n elements of type T to whole numbers in [0, limit) at `out`;
// returns the index of the first element that is not one (n when all are).
// One pass without a branch per element (the check is OR-ed), then a slow
// search only on the way to an error.
template <typename T>
std::size_t convert_all(const void* data, std::size_t n, std::int64_t limit, std::int64_t* out) {
  const T* v = static_cast<const T*>(data);
  auto fits = [limit](T x, std::int64_t& as_int) {
    if constexpr (std::is_floating_point_v<T>) {
      // In range first, so the conversion is defined; NaN fails every compare.
      const bool in_range = x >= 0 && x < static_cast<T>(limit);
      const T clamped = in_range ? x : T(0);
      as_int = static_cast<std::int64_t>(clamped);
      return in_range && static_cast<T>(as_int) == x;
    } else {
      as_int = static_cast<std::int64_t>(x);  // uint64 above INT64_MAX turns negative
      return as_int >= 0 && as_int < limit;
    }
  };
  bool all = true;
  for (std::size_t i = 0; i < n; ++i) all &= fits(v[i], out[i]);
  if (all) return n;
  std::int64_t ignored;
  for (std::size_t i = 0; i < n; ++i)
    if (!fits(v[i], ignored)) return i;
  return n;
}

using Converter = std::size_t (*)(const void*, std::size_t, std::int64_t, std::int64_t*);

Converter converter_of(matio_classes c) {
  switch (c) {
    case MAT_C_DOUBLE: return convert_all<double>;
    case MAT_C_SINGLE: return convert_all<float>;
    case MAT_C_INT8: return convert_all<std::int8_t>;
    case MAT_C_UINT8: return convert_all<std::uint8_t>;
    case MAT_C_INT16: return convert_all<std::int16_t>;
    case MAT_C_UINT16: return convert_all<std::uint16_t>;
    case MAT_C_INT32: return convert_all<std::int32_t>;
    case MAT_C_UINT32: return convert_all<std::uint32_t>;
    case MAT_C_INT64: return convert_all<std::int64_t>;
    case MAT_C_UINT64: return convert_all<std::uint64_t>;
    default: return nullptr;
  }
}

// One of the four vectors, converted to whole numbers in [0, limit).
std::vector<std::int64_t> read_vector(mat_t* mat, const char* name, std::int64_t limit,
                                      const std::string& path) {
  matio_message.clear();
  const std::unique_ptr<matvar_t, VarFreer> var(Mat_VarRead(mat, name));
  if (!var)
    throw InputError(quoted(path) + ": no variable '" + name + "'" +
                     (matio_message.empty() ? "" : " (" + matio_message + ")"));
  const Converter convert = converter_of(var->class_type);
  const bool vector = var->rank == 2 && (var->dims[0] <= 1 || var->dims[1] <= 1);
  if (convert == nullptr || var->isComplex || !vector ||
      var->data_size != static_cast<int>(Mat_SizeOfClass(var->class_type)))
    throw InputError(quoted(path) + ": variable '" + name +
                     "' is not a real numeric vector (MATLAB class " +
                     std::to_string(var->class_type) + ", rank " + std::to_string(var->rank) + ")");
  const std::size_t n = var->rank == 2 ? var->dims[0] * var->dims[1] : 0;
  if (n > 0 && var->data == nullptr)
    throw InputError(quoted(path) + ": variable '" + name + "' has no data");
  std::vector<std::int64_t> values(n);
  const std::size_t bad = convert(var->data, n, limit, values.data());
  if (bad < n)
    throw InputError(quoted(path) + ": " + name + "(" + std::to_string(bad + 1) +
                     ") is not a whole number in [0, " + std::to_string(limit) + ")");
  return values;
}

}  // namespace

void read_asldvs(const std::string& path, Orientation orientation, EventBuffer& out) {
  route_matio_log();
  {
    const MappedFile file(path);
    check_mat5_structure(file.data(), file.size(), path);
  }
  matio_message.clear();
  const std::unique_ptr<mat_t, MatCloser> mat(Mat_Open(path.c_str(), MAT_ACC_RDONLY));
  if (!mat) {
    if (access(path.c_str(), R_OK) != 0) throw IoError("cannot read " + quoted(path));
    throw FormatError(quoted(path) + ": not a MATLAB file libmatio can read" +
                      (matio_message.empty() ? "" : " (" + matio_message + ")"));
  }
  constexpr std::int64_t kNoLimit = INT64_MAX;
  const auto ts = read_vector(mat.get(), "ts", kNoLimit, path);
  const auto x = read_vector(mat.get(), "x", layout::kWidth, path);
  const auto y = read_vector(mat.get(), "y", layout::kHeight, path);
  const auto pol = read_vector(mat.get(), "pol", 2, path);
  if (x.size() != ts.size() || y.size() != ts.size() || pol.size() != ts.size())
    throw InputError(quoted(path) + ": ts, x, y and pol differ in length (" +
                     std::to_string(ts.size()) + ", " + std::to_string(x.size()) + ", " +
                     std::to_string(y.size()) + ", " + std::to_string(pol.size()) + ")");
  const std::size_t n = ts.size();
  out.reset(n);
  std::uint64_t* t = out.t_data();
  std::uint32_t* addr = out.addr_data();
  const SensorSize sensor{layout::kWidth, layout::kHeight};
  const bool flip = orientation == Orientation::sensor;
  for (std::size_t i = 0; i < n; ++i) {
    const auto xi = static_cast<std::uint32_t>(flip ? layout::kWidth - 1 - x[i] : x[i]);
    const auto yi = static_cast<std::uint32_t>(flip ? layout::kHeight - 1 - y[i] : y[i]);
    t[i] = static_cast<std::uint64_t>(ts[i]);
    addr[i] = sensor.address(xi, yi, static_cast<std::uint32_t>(pol[i]));
  }
  if (!times_ordered(t, n, 0)) {
    for (std::size_t i = 1; i < n; ++i)
      if (t[i] < t[i - 1])
        throw InputError(quoted(path) + ": time goes backwards: ts(" + std::to_string(i + 1) +
                         ") = " + std::to_string(t[i]) + " us after " + std::to_string(t[i - 1]) +
                         " us");
  }
  out.set_size(n);
}

}  // namespace plifkit
