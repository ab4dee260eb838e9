-- 0003_access_token_hash_index: an API request finds its token with one indexed lookup (the
-- original scanned the table and paid 100000 PBKDF2 rounds per request).
-- MySQL 8 has no CREATE INDEX IF NOT EXISTS: a re-run gets error 1061, which the runner tolerates.
ALTER TABLE `access_tokens` ADD KEY `ix_access_tokens_token_hash` (`token_hash`);
