"""Personal-data rights (UU 27/2022): consent, download of one's data, deletion."""
