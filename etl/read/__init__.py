"""Reading files and finding the data in them: bytes -> cells -> raw values with their labels."""
