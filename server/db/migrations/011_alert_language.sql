-- The language an alert's notices are written in. Alerts made before it speak English, as
-- they always did.
ALTER TABLE alerts ADD COLUMN lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'fr'));
