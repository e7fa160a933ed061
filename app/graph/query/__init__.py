"""The OData query layer: $filter grammar, evaluation in SQL or in memory, paging, $expand."""
