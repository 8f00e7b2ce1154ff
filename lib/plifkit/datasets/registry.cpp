#include "plifkit/datasets/registry.hpp"

#include <stdexcept>
#include <string>

namespace plifkit {

namespace {

std::vector<DatasetRow> build() {
  std::vector<DatasetRow> rows{dvs128_gesture_row(), nmnist_row(),        cifar10dvs_row(),
                               asldvs_row(),         mnist_row(),         fashion_mnist_row(),
                               cifar10_row()};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    DatasetRow& r = rows[i];
    // A row out of place or inconsistent is a programming error: found by
    // the first test that touches the registry.
    if (static_cast<std::size_t>(r.id) != i || Choices<Dataset>::all[i].value != r.id)
      throw std::logic_error(std::string("dataset registry: row ") + std::to_string(i) +
                             " is not in the order of the Dataset enum");
    r.class_num = static_cast<int64_t>(r.class_names.size());
  }
  if (rows.size() != Choices<Dataset>::all.size())
    throw std::logic_error("dataset registry: a row per Dataset value expected");
  return rows;
}

}  // namespace

const std::vector<DatasetRow>& all_datasets() {
  static const std::vector<DatasetRow> rows = build();
  return rows;
}

namespace {

template <typename Keep>
std::string names_where(Keep keep) {
  std::string names;
  for (const DatasetRow& row : all_datasets())
    if (keep(row)) names += (names.empty() ? "" : ", ") + std::string(name_of_choice(row.id));
  return names;
}

}  // namespace

std::string dataset_names(InputKind kind) {
  return names_where([&](const DatasetRow& row) { return row.kind == kind; });
}

std::string dataset_names(Storage storage) {
  return names_where([&](const DatasetRow& row) { return row.storage == storage; });
}

const DatasetRow& row_of(Dataset dataset) { return all_datasets().at(static_cast<std::size_t>(dataset)); }

}  // namespace plifkit
