"""Apple's protocol side of account-driven user enrollment: service discovery, the enrollment
profile and check-in, plist in and plist out (the shape of nanomdm's service interface)."""
