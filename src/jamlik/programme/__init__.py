"""programme"""
