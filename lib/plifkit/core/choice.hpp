// Settings that take one of a few named values are parsed once where they
// enter (a command line, a file attribute) into enums; code past that point
// compares enums, never strings. Each enum lists its names once, in a
// Choices<E> specialisation; parsing is case-insensitive (the seed writes
// `-normalization None`, files store `none`).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "plifkit/core/setting_error.hpp"

namespace plifkit {

template <typename E>
struct Choice {
  E value;
  const char* name;  // canonical: written to files and shown in help
};

// Specialised per enum: `static constexpr std::array<Choice<E>, N> all`
// (canonical names) and optionally `aliases` (accepted, never written).
template <typename E>
struct Choices;

bool equal_ignoring_case(std::string_view a, std::string_view b);

template <typename E, typename = void>
struct has_aliases : std::false_type {};
template <typename E>
struct has_aliases<E, std::void_t<decltype(Choices<E>::aliases)>> : std::true_type {};

template <typename E>
const char* name_of_choice(E value) {
  for (const auto& c : Choices<E>::all)
    if (c.value == value) return c.name;
  return "?";
}

// "a, b or c"
template <typename E>
std::string choice_list() {
  std::string list;
  const auto& all = Choices<E>::all;
  for (size_t i = 0; i < all.size(); ++i)
    list += std::string(i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + all[i].name;
  return list;
}

template <typename E>
std::optional<E> find_choice(std::string_view text) {
  for (const auto& c : Choices<E>::all)
    if (equal_ignoring_case(text, c.name)) return c.value;
  if constexpr (has_aliases<E>::value) {
    for (const auto& c : Choices<E>::aliases)
      if (equal_ignoring_case(text, c.name)) return c.value;
  }
  return std::nullopt;
}

// Throws SettingError: "<setting> must be a, b or c, got 'text'".
template <typename E>
E parse_choice(const std::string& setting, const std::string& text) {
  if (const auto value = find_choice<E>(text)) return *value;
  throw SettingError(setting, "must be " + choice_list<E>() + ", got '" + text + "'");
}

}  // namespace plifkit
