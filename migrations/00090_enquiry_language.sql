-- +goose Up
-- The language the enquirer read the form in (a BCP 47 language, "en" or
-- "es"): their confirmation email goes out in it. Every enquiry before this
-- migration was answered in English. Kept in clear, beside consent_version:
-- it is not an answer, and the seal does not cover it (a changed language
-- changes only the words of the confirmation).
ALTER TABLE enquiry ADD COLUMN language text NOT NULL DEFAULT 'en'
    CHECK (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$');
