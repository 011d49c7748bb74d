-- customerIdPrefix (null = orderIdPrefix) came after destinations with an orderIdPrefix matched contacts by the
-- bare customer id: they keep doing so ('' = none), or Voyado's ExternalId and ExpertSender's crmId would change.
UPDATE `destinations` SET `settings` = json_set(`settings`, '$.customerIdPrefix', '')
WHERE `kind` IN ('voyado', 'expertsender') AND json_valid(`settings`)
  AND coalesce(json_extract(`settings`, '$.orderIdPrefix'), '') != ''
  AND json_type(`settings`, '$.customerIdPrefix') IS NULL;
