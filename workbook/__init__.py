"""Back Spasm Workbook: patient education about muscle spasms in the back."""
