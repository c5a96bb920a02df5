-- Kept samples are pruned by age across all guests at once (Housekeeping), not per guest on every insert.
CREATE INDEX guest_sample_sampled_at ON guest_sample (sampled_at);
